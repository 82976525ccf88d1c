import { VoiceTiming } from '@app/voice/voice-timing';
import { ledgerOf } from '../credits/credit-fixtures';
import { startFakeDeepgram, FakeDeepgram } from '../support/fake-deepgram';
import { as, expectError, loginAs, LoggedInUser } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { connectVoice, manualClock } from './voice-client';

const AUDIO = Buffer.alloc(3200, 1);

describe('WS /api/v1/ws/voice/transcribe', () => {
  let t: TestApp;
  let fake: FakeDeepgram;
  let timing: VoiceTiming;
  const defaults = new VoiceTiming();

  beforeAll(async () => {
    fake = await startFakeDeepgram();
    t = await createTestApp({ DEEPGRAM_API_KEY: fake.apiKey, DEEPGRAM_URL: fake.url, RATE_LIMIT_AI: '1000' });
    timing = t.app.get(VoiceTiming);
  });

  afterEach(() => {
    fake.reset();
    Object.assign(timing, defaults);
  });

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  async function proUser(): Promise<LoggedInUser> {
    return loginAs(t, { tier: 'pro' });
  }

  it('should relay audio, send interim and final transcripts and charge 5 credits for a started minute', async () => {
    const { accessToken, user } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    const connected = await client.next('connected');
    expect(connected).toEqual({
      type: 'connected',
      session_id: expect.any(String),
      max_duration_seconds: 300,
      credits_per_minute: 5,
      credits_remaining: 115,
    });
    const clock = manualClock(timing);
    for (let i = 0; i < 4; i++) client.ws.send(AUDIO);
    client.ws.send(JSON.stringify({ type: 'ping' }));
    await client.next('pong');
    clock.advance(1200);
    client.ws.send(JSON.stringify({ type: 'end_stream' }));
    const complete = await client.next('complete');
    expect(await client.closed).toMatchObject({ code: 1000 });
    expect(client.messages.filter((m) => m.type === 'transcript')).toEqual([
      { type: 'transcript', text: 'remember', is_final: false, confidence: 0.6 },
      { type: 'transcript', text: 'remember to call', is_final: true, confidence: 0.9 },
      { type: 'transcript', text: 'the supplier', is_final: true, confidence: 0.95 },
    ]);
    expect(complete).toEqual({
      type: 'complete',
      session_id: connected.session_id,
      status: 'completed',
      full_transcript: 'remember to call the supplier',
      duration_seconds: 1,
      credits_used: 5,
      credits_remaining: 110,
    });
    expect(client.messages.at(-1)).toBe(complete);
    expect(fake.liveRequests[0].authorization).toBe(`Token ${fake.apiKey}`);
    expect(fake.liveRequests[0].url).toMatch(/^\/v1\/listen\?/);
    const params = new URL(fake.liveRequests[0].url, 'ws://x').searchParams;
    expect(Object.fromEntries(params)).toMatchObject({
      model: 'nova-2',
      language: 'en',
      interim_results: 'true',
      punctuate: 'true',
      smart_format: 'true',
    });
    expect(fake.received[0].audioBytes).toEqual([3200, 3200, 3200, 3200]);
    expect(fake.received[0].control.map((c) => JSON.parse(c).type)).toContain('CloseStream');

    const session = await as(t, accessToken).get(`/api/v1/ai/voice-sessions/${String(connected.session_id)}`);
    expect(session.status).toBe(200);
    const [stored] = await t.dataSource.query('SELECT started_at, ended_at FROM voice_sessions WHERE id = $1', [
      connected.session_id,
    ]);
    expect(session.body).toEqual({
      data: {
        id: connected.session_id,
        status: 'completed',
        end_reason: 'end_stream',
        language: 'en',
        started_at: stored.started_at.toISOString(),
        ended_at: stored.ended_at.toISOString(),
        duration_seconds: 1,
        credits_used: 5,
        transcript: 'remember to call the supplier',
        error_code: null,
      },
    });
    const consumes = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume');
    expect(consumes).toEqual([expect.objectContaining({ amount: -5, status: 'committed', credit_type: 'daily' })]);
    const [activity] = await t.dataSource.query(
      `SELECT entity_type, entity_id, action, source, metadata FROM activity_logs WHERE user_id = $1 AND entity_type = 'voice_session'`,
      [user.id],
    );
    expect(activity).toEqual({
      entity_type: 'voice_session',
      entity_id: connected.session_id,
      action: 'transcription_completed',
      source: 'ai',
      metadata: { status: 'completed', end_reason: 'end_stream', duration_seconds: 1, credits_used: 5 },
    });
    expect((await t.http.get('/metrics')).text).toMatch(/voice_sessions_total\{outcome="completed"\} \d+/);
  });

  it('should authenticate with a first auth message and relay audio buffered before connected', async () => {
    const { accessToken, user } = await proUser();
    manualClock(timing);
    const client = await connectVoice(t, { language: 'de' });
    client.ws.send(JSON.stringify({ type: 'auth', token: accessToken }));
    client.ws.send(AUDIO);
    client.ws.send(AUDIO);
    await client.next('connected');
    await client.next('transcript');
    client.ws.send(JSON.stringify({ type: 'end_stream' }));
    const complete = await client.next('complete');
    // Audio time 0 ms, yet audio flowed: one started minute (docs/realtime.md §1.4).
    expect(complete).toMatchObject({
      status: 'completed',
      duration_seconds: 0,
      credits_used: 5,
      credits_remaining: 110,
    });
    expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toEqual([
      expect.objectContaining({ amount: -5, status: 'committed' }),
    ]);
    expect(fake.received[0].audioBytes).toEqual([3200, 3200]);
    expect(new URL(fake.liveRequests[0].url, 'ws://x').searchParams.get('language')).toBe('de');
  });

  it.each([
    ['a bad token', { token: 'garbage' }, 'UNAUTHORIZED', 4401],
    ['a bad language', { language: 'x' }, 'INVALID_MESSAGE', 4400],
  ])('should refuse %s', async (_case, query, code, closeCode) => {
    const client = await connectVoice(t, query);
    expect(await client.closed).toMatchObject({ code: closeCode });
    expect(client.messages).toEqual([{ type: 'error', code, message: expect.any(String) }]);
  });

  it('should refuse audio or anything else before the auth message', async () => {
    const binary = await connectVoice(t);
    binary.ws.send(AUDIO);
    expect(await binary.closed).toMatchObject({ code: 4401 });
    expect(binary.messages[0]).toMatchObject({ code: 'UNAUTHORIZED' });
    const text = await connectVoice(t);
    text.ws.send(JSON.stringify({ type: 'ping' }));
    expect(await text.closed).toMatchObject({ code: 4401 });
  });

  it('should close unauthenticated connections after the auth timeout', async () => {
    timing.authTimeoutMs = 200;
    const client = await connectVoice(t);
    expect(await client.closed).toMatchObject({ code: 4401 });
    expect(client.messages[0]).toMatchObject({ type: 'error', code: 'UNAUTHORIZED' });
  });

  it('should refuse free users with TIER_REQUIRED', async () => {
    const { accessToken } = await loginAs(t);
    const client = await connectVoice(t, { token: accessToken });
    expect(await client.closed).toMatchObject({ code: 4403 });
    expect(client.messages).toEqual([{ type: 'error', code: 'TIER_REQUIRED', message: expect.any(String) }]);
  });

  it('should refuse a start without a minute of credits', async () => {
    const { accessToken, user } = await proUser();
    await as(t, accessToken).get('/api/v1/credits/balance');
    await t.dataSource.query(
      `UPDATE ai_credit_ledger SET amount = 4, consumed = 0 WHERE user_id = $1 AND credit_type = 'daily'`,
      [user.id],
    );
    await t.dataSource.query(
      `UPDATE ai_credit_ledger SET consumed = amount WHERE user_id = $1 AND credit_type IN ('kickstart', 'subscription')`,
      [user.id],
    );
    const client = await connectVoice(t, { token: accessToken });
    expect(await client.closed).toMatchObject({ code: 4402 });
    expect(client.messages[0]).toMatchObject({ code: 'INSUFFICIENT_CREDITS' });
  });

  it('should refuse a second active session and close a stale one', async () => {
    const { accessToken, user } = await proUser();
    const first = await connectVoice(t, { token: accessToken });
    const opened = await first.next('connected');
    const second = await connectVoice(t, { token: accessToken });
    expect(await second.closed).toMatchObject({ code: 4409 });
    expect(second.messages[0]).toMatchObject({ code: 'SESSION_ALREADY_ACTIVE' });
    first.ws.close();
    await first.closed;
    const firstStatus = async (): Promise<string> =>
      (await t.dataSource.query('SELECT status FROM voice_sessions WHERE id = $1', [opened.session_id]))[0].status;
    await waitFor(async () => (await firstStatus()) !== 'active');
    const [stale] = await t.dataSource.query(
      `INSERT INTO voice_sessions (user_id, status, started_at) VALUES ($1, 'active', now() - interval '11 minutes') RETURNING id`,
      [user.id],
    );
    const third = await connectVoice(t, { token: accessToken });
    await third.next('connected');
    const [closed] = await t.dataSource.query('SELECT status, end_reason FROM voice_sessions WHERE id = $1', [
      stale.id,
    ]);
    expect(closed).toEqual({ status: 'aborted', end_reason: 'disconnect' });
    third.ws.close();
    await third.closed;
  });

  it('should answer TRANSCRIPTION_FAILED when the provider refuses the connection', async () => {
    const { accessToken, user } = await proUser();
    fake.liveMode = 'refuse';
    const client = await connectVoice(t, { token: accessToken });
    expect(await client.closed).toMatchObject({ code: 1011 });
    expect(client.messages[0]).toMatchObject({ code: 'TRANSCRIPTION_FAILED' });
    expect(await t.dataSource.query('SELECT id FROM voice_sessions WHERE user_id = $1', [user.id])).toEqual([]);
  });

  it('should fail the session and charge nothing when the provider fails mid-session', async () => {
    const { accessToken, user } = await proUser();
    fake.liveMode = 'fail';
    const client = await connectVoice(t, { token: accessToken });
    const connected = await client.next('connected');
    // More than a second into the session when the provider fails.
    manualClock(timing).advance(1100);
    client.ws.send(AUDIO);
    const complete = await client.next('complete');
    expect(await client.closed).toMatchObject({ code: 1011 });
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'TRANSCRIPTION_FAILED' });
    expect(complete).toMatchObject({ status: 'failed', credits_used: 0, full_transcript: '' });
    const [row] = await t.dataSource.query(
      'SELECT status, end_reason, error_code, credits_used FROM voice_sessions WHERE id = $1',
      [connected.session_id],
    );
    expect(row).toEqual({
      status: 'failed',
      end_reason: 'provider_error',
      error_code: 'TRANSCRIPTION_FAILED',
      credits_used: 0,
    });
    expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toEqual([]);
    const [activity] = await t.dataSource.query(`SELECT action FROM activity_logs WHERE entity_id = $1`, [
      connected.session_id,
    ]);
    expect(activity).toEqual({ action: 'transcription_failed' });
  });

  it('should keep the partial transcript and charge started minutes when the client disconnects', async () => {
    const { accessToken, user } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    const connected = await client.next('connected');
    const clock = manualClock(timing);
    client.ws.send(AUDIO);
    client.ws.send(AUDIO);
    client.ws.send(JSON.stringify({ type: 'ping' }));
    await client.next('pong');
    clock.advance(1100);
    client.ws.close();
    let row: Record<string, unknown> | undefined;
    await waitFor(async () => {
      [row] = await t.dataSource.query(
        'SELECT status, end_reason, transcript, credits_used, duration_seconds FROM voice_sessions WHERE id = $1',
        [connected.session_id],
      );
      return row?.status === 'aborted';
    });
    expect(row).toEqual({
      status: 'aborted',
      end_reason: 'disconnect',
      transcript: 'remember to call',
      credits_used: 5,
      duration_seconds: 1,
    });
    expect(
      (await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume' && e.status === 'committed'),
    ).toHaveLength(1);
    const session = await as(t, accessToken).get(`/api/v1/ai/voice-sessions/${String(connected.session_id)}`);
    expect(session.body.data).toMatchObject({
      status: 'aborted',
      end_reason: 'disconnect',
      transcript: 'remember to call',
    });
  });

  it('should warn before the cap, stop at max duration and charge the reserved minutes', async () => {
    Object.assign(timing, { maxDurationMs: 2500, warningBeforeEndMs: 1000, minuteMs: 1000 });
    const { accessToken, user } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    await client.next('connected');
    const clock = manualClock(timing);
    client.ws.send(AUDIO);
    expect(await client.next('warning', 3000)).toEqual({
      type: 'warning',
      code: 'MAX_DURATION_APPROACHING',
      seconds_remaining: 1,
    });
    // However late the cap's timer fires, audio time stops at the cap: 2.5 s, three started minutes.
    clock.advance(10_000);
    const complete = await client.next('complete', 4000);
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'MAX_DURATION_EXCEEDED' });
    expect(complete).toMatchObject({ status: 'max_duration', duration_seconds: 2, credits_used: 15 });
    expect(await client.closed).toMatchObject({ code: 1000 });
    const consumes = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume');
    expect(consumes.map((e) => [e.amount, e.status])).toEqual([
      [-5, 'committed'],
      [-5, 'committed'],
      [-5, 'committed'],
    ]);
  });

  it('should charge one started minute for a 0.4-s session (duration_seconds 0, credits_used 5)', async () => {
    const { accessToken, user } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    const connected = await client.next('connected');
    const clock = manualClock(timing);
    client.ws.send(AUDIO);
    await client.next('transcript');
    clock.advance(400);
    client.ws.send(JSON.stringify({ type: 'end_stream' }));
    expect(await client.next('complete')).toMatchObject({
      status: 'completed',
      duration_seconds: 0,
      credits_used: 5,
      credits_remaining: 110,
    });
    const [row] = await t.dataSource.query('SELECT duration_seconds, credits_used FROM voice_sessions WHERE id = $1', [
      connected.session_id,
    ]);
    expect(row).toEqual({ duration_seconds: 0, credits_used: 5 });
    expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toEqual([
      expect.objectContaining({ amount: -5, status: 'committed' }),
    ]);
  });

  it('should charge one started minute when the client disconnects right after its audio', async () => {
    const { accessToken, user } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    const connected = await client.next('connected');
    manualClock(timing);
    client.ws.send(AUDIO);
    client.ws.close();
    await client.closed;
    let row: Record<string, unknown> | undefined;
    await waitFor(async () => {
      [row] = await t.dataSource.query(
        'SELECT status, end_reason, duration_seconds, credits_used FROM voice_sessions WHERE id = $1',
        [connected.session_id],
      );
      return row?.status === 'aborted';
    });
    expect(row).toEqual({ status: 'aborted', end_reason: 'disconnect', duration_seconds: 0, credits_used: 5 });
    expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toEqual([
      expect.objectContaining({ amount: -5, status: 'committed' }),
    ]);
  });

  it('should stop with INSUFFICIENT_CREDITS when the next minute cannot be paid', async () => {
    Object.assign(timing, { minuteMs: 500 });
    const { accessToken, user } = await proUser();
    await as(t, accessToken).get('/api/v1/credits/balance');
    await t.dataSource.query(
      `UPDATE ai_credit_ledger SET consumed = amount WHERE user_id = $1 AND credit_type IN ('daily', 'subscription')`,
      [user.id],
    );
    const client = await connectVoice(t, { token: accessToken });
    await client.next('connected');
    client.ws.send(AUDIO);
    const complete = await client.next('complete', 4000);
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'INSUFFICIENT_CREDITS' });
    expect(complete).toMatchObject({ status: 'insufficient_credits', credits_used: 5, credits_remaining: 0 });
    expect(await client.closed).toMatchObject({ code: 1000 });
  });

  it('should keep the provider socket open with KeepAlive while the client pauses its audio', async () => {
    fake.idleCloseMs = 2500;
    const { accessToken } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    await client.next('connected');
    const clock = manualClock(timing);
    client.ws.send(AUDIO);
    await client.next('transcript');
    const keepAlives = (): number => fake.received[0].control.filter((text) => text.includes('KeepAlive')).length;
    // One KeepAlive per 5 s of silence, checked once a second: four span more than 3 s of real
    // time, longer than the provider's 2.5-s idle close, which they keep resetting.
    for (let round = 1; round <= 4; round++) {
      clock.advance(timing.keepAliveAfterMs);
      await waitFor(() => keepAlives() === round);
    }
    expect(client.messages.find((m) => m.type === 'error')).toBeUndefined();
    client.ws.send(JSON.stringify({ type: 'end_stream' }));
    expect(await client.next('complete')).toMatchObject({ status: 'completed' });
    expect(await client.closed).toMatchObject({ code: 1000 });
    expect(fake.received[0].control.map((text) => (JSON.parse(text) as { type: string }).type)).toEqual([
      'KeepAlive',
      'KeepAlive',
      'KeepAlive',
      'KeepAlive',
      'CloseStream',
    ]);
  });

  it('should fail the session when the provider closes an idle socket (NET-0001)', async () => {
    fake.idleCloseMs = 200;
    timing.keepAliveAfterMs = 60_000;
    const { accessToken, user } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    const connected = await client.next('connected');
    const complete = await client.next('complete');
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code: 'TRANSCRIPTION_FAILED' });
    expect(complete).toMatchObject({ status: 'failed', credits_used: 0 });
    expect(await client.closed).toMatchObject({ code: 1011 });
    const [row] = await t.dataSource.query('SELECT status, end_reason FROM voice_sessions WHERE id = $1', [
      connected.session_id,
    ]);
    expect(row).toEqual({ status: 'failed', end_reason: 'provider_error' });
    expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toEqual([]);
  });

  it('should treat silence as end_stream after the idle timeout', async () => {
    timing.idleTimeoutMs = 300;
    const { accessToken } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    const connected = await client.next('connected');
    expect(await client.next('complete')).toMatchObject({ status: 'completed', credits_used: 0, duration_seconds: 0 });
    const [row] = await t.dataSource.query('SELECT end_reason FROM voice_sessions WHERE id = $1', [
      connected.session_id,
    ]);
    expect(row.end_reason).toBe('idle');
  });

  it.each([
    ['an unknown message', JSON.stringify({ type: 'dance' }), 'INVALID_MESSAGE'],
    ['invalid JSON', '{nope', 'INVALID_MESSAGE'],
    ['a late auth message', JSON.stringify({ type: 'auth', token: 'x' }), 'INVALID_MESSAGE'],
    ['an oversized frame', Buffer.alloc(32 * 1024 + 1), 'FRAME_TOO_LARGE'],
  ])('should close 4400 on %s', async (_case, payload, code) => {
    const { accessToken } = await proUser();
    const client = await connectVoice(t, { token: accessToken });
    await client.next('connected');
    client.ws.send(payload);
    expect(await client.closed).toMatchObject({ code: 4400 });
    expect(client.messages.find((m) => m.type === 'error')).toMatchObject({ code });
  });

  it('should answer 404/403 for unknown or foreign voice sessions', async () => {
    const { accessToken } = await proUser();
    const other = await proUser();
    const client = await connectVoice(t, { token: other.accessToken });
    const connected = await client.next('connected');
    client.ws.close();
    await client.closed;
    expectError(
      await as(t, accessToken).get(`/api/v1/ai/voice-sessions/${String(connected.session_id)}`),
      403,
      'FORBIDDEN',
    );
    expectError(
      await as(t, accessToken).get('/api/v1/ai/voice-sessions/00000000-0000-4000-8000-000000000000'),
      404,
      'NOT_FOUND',
    );
    expectError(await as(t, accessToken).get('/api/v1/ai/voice-sessions/nope'), 400, 'VALIDATION_ERROR');
  });
});
