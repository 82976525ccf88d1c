import { randomUUID } from 'node:crypto';
import { ledgerOf } from '../credits/credit-fixtures';
import { startFakeDeepgram, FakeDeepgram } from '../support/fake-deepgram';
import { as, expectError, loginAs, LoggedInUser } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('POST /api/v1/ai/transcribe', () => {
  let t: TestApp;
  let fake: FakeDeepgram;
  const body = { audio_url: 'https://cdn.example.com/voice/1.webm', duration_seconds: 45 };

  beforeAll(async () => {
    fake = await startFakeDeepgram();
    t = await createTestApp({ DEEPGRAM_API_KEY: fake.apiKey, DEEPGRAM_URL: fake.url, RATE_LIMIT_AI: '1000' });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  async function proUser(): Promise<LoggedInUser> {
    return loginAs(t, { tier: 'pro' });
  }

  it('should transcribe by URL and charge 5 credits per started minute', async () => {
    const { accessToken, user } = await proUser();
    const res = await as(t, accessToken)
      .post('/api/v1/ai/transcribe')
      .send({ ...body, duration_seconds: 61, language: 'en-US' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        transcription: 'Buy milk and eggs',
        language: 'en',
        confidence: 0.93,
        duration_seconds: 61,
        credits_used: 10,
        credits_remaining: 105,
      },
    });
    const [request] = fake.prerecordedRequests;
    expect(request.authorization).toBe(`Token ${fake.apiKey}`);
    expect(request.body).toEqual({ url: body.audio_url });
    expect(Object.fromEntries(new URL(request.url, 'http://x').searchParams)).toMatchObject({
      model: 'nova-2',
      smart_format: 'true',
      punctuate: 'true',
      language: 'en-US',
    });
    const [activity] = await t.dataSource.query(
      `SELECT entity_type, source, metadata FROM activity_logs WHERE user_id = $1 AND action = 'ai_transcription'`,
      [user.id],
    );
    expect(activity).toEqual({
      entity_type: 'ai_chat',
      source: 'ai',
      metadata: { note_id: null, duration_seconds: 61, credits_used: 10 },
    });
  });

  it("should fill a note's transcription_text and never touch its content", async () => {
    const { accessToken } = await proUser();
    const note = (await as(t, accessToken).post('/api/v1/notes').send({ content: 'My own words' })).body.data;
    const res = await as(t, accessToken)
      .post('/api/v1/ai/transcribe')
      .send({ ...body, note_id: note.id });
    expect(res.status).toBe(200);
    const stored = (await as(t, accessToken).get(`/api/v1/notes/${String(note.id)}`)).body.data;
    expect(stored).toMatchObject({
      content: 'My own words',
      transcription_status: 'completed',
      transcription_text: 'Buy milk and eggs',
    });
  });

  it('should refuse audio over 300 s or longer than declared, charging nothing and failing the note', async () => {
    const { accessToken, user } = await proUser();
    expectError(
      await as(t, accessToken)
        .post('/api/v1/ai/transcribe')
        .send({ ...body, duration_seconds: 301 }),
      400,
      'AUDIO_DURATION_EXCEEDED',
    );
    const note = (await as(t, accessToken).post('/api/v1/notes').send({ content: 'n' })).body.data;
    fake.prerecorded.duration = 47;
    expectError(
      await as(t, accessToken)
        .post('/api/v1/ai/transcribe')
        .send({ ...body, note_id: note.id }),
      400,
      'AUDIO_DURATION_EXCEEDED',
    );
    expect((await as(t, accessToken).get(`/api/v1/notes/${String(note.id)}`)).body.data.transcription_status).toBe(
      'failed',
    );
    fake.prerecorded.duration = 46;
    expect((await as(t, accessToken).post('/api/v1/ai/transcribe').send(body)).status).toBe(200);
    fake.prerecorded.duration = null;
    expect((await as(t, accessToken).post('/api/v1/ai/transcribe').send(body)).status).toBe(200);
    expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toHaveLength(2);
  });

  it.each(['error', 'malformed'] as const)(
    'should answer 503 and charge nothing when the provider is %s',
    async (mode) => {
      const { accessToken, user } = await proUser();
      fake.prerecordedMode = mode;
      expectError(
        await as(t, accessToken).post('/api/v1/ai/transcribe').send(body),
        503,
        'TRANSCRIPTION_SERVICE_UNAVAILABLE',
      );
      expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toEqual([]);
      expect(fake.prerecordedRequests).toHaveLength(mode === 'error' ? 3 : 1);
    },
  );

  it('should check tier, note ownership, archived notes and credits in order', async () => {
    const free = await loginAs(t);
    expect(
      expectError(await as(t, free.accessToken).post('/api/v1/ai/transcribe').send(body), 403, 'TIER_REQUIRED'),
    ).toMatchObject({
      required_tier: 'pro',
      current_tier: 'free',
    });
    const { accessToken, user } = await proUser();
    const other = await proUser();
    const foreign = (await as(t, other.accessToken).post('/api/v1/notes').send({ content: 'x' })).body.data;
    expectError(
      await as(t, accessToken)
        .post('/api/v1/ai/transcribe')
        .send({ ...body, note_id: foreign.id }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await as(t, accessToken)
        .post('/api/v1/ai/transcribe')
        .send({ ...body, note_id: randomUUID() }),
      404,
      'NOT_FOUND',
    );
    const note = (await as(t, accessToken).post('/api/v1/notes').send({ content: 'x' })).body.data;
    await as(t, accessToken)
      .patch(`/api/v1/notes/${String(note.id)}`)
      .send({ archived: true })
      .expect(200);
    expectError(
      await as(t, accessToken)
        .post('/api/v1/ai/transcribe')
        .send({ ...body, note_id: note.id }),
      409,
      'ARCHIVED',
    );
    await as(t, accessToken).get('/api/v1/credits/balance');
    await t.dataSource.query(`UPDATE ai_credit_ledger SET consumed = amount WHERE user_id = $1`, [user.id]);
    const poor = expectError(
      await as(t, accessToken).post('/api/v1/ai/transcribe').send(body),
      402,
      'INSUFFICIENT_CREDITS',
    );
    expect(poor).toMatchObject({ credits_required: 5, credits_available: 0 });
    expect(fake.prerecordedRequests).toHaveLength(0);
  });

  it('should validate the body', async () => {
    const { accessToken } = await proUser();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ duration_seconds: 10 }, 'audio_url'],
      [{ audio_url: 'ftp://x/y', duration_seconds: 10 }, 'audio_url'],
      [{ audio_url: body.audio_url }, 'duration_seconds'],
      [{ ...body, duration_seconds: 0 }, 'duration_seconds'],
      [{ ...body, language: 'e' }, 'language'],
      [{ ...body, note_id: 'nope' }, 'note_id'],
    ];
    for (const [payload, field] of cases) {
      const error = expectError(
        await as(t, accessToken).post('/api/v1/ai/transcribe').send(payload),
        400,
        'VALIDATION_ERROR',
      );
      expect((error.details as Array<{ field: string }>).map((d) => d.field)).toContain(field);
    }
  });
});
