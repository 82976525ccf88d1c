import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('Notes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000' });
  });

  afterAll(() => t.close());

  async function createNote(
    token: string,
    body: Record<string, unknown> = { content: 'Call the supplier' },
  ): Promise<Record<string, unknown>> {
    const res = await as(t, token).post('/api/v1/notes').send(body);
    expect(res.status).toBe(201);
    return res.body.data;
  }

  describe('POST /api/v1/notes', () => {
    it('should create a trimmed text note with every field present', async () => {
      const { accessToken, user } = await loginAs(t);
      const res = await as(t, accessToken)
        .post('/api/v1/notes')
        .send({ content: '  Call the supplier  ', id: 'ignored' });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        data: {
          id: expect.any(String),
          user_id: user.id,
          content: 'Call the supplier',
          archived: false,
          voice_url: null,
          voice_duration_seconds: null,
          transcription_status: null,
          transcription_text: null,
          converted_task_id: null,
          created_at: expect.stringMatching(TIMESTAMP),
          updated_at: expect.stringMatching(TIMESTAMP),
        },
      });
      const activity = await t.dataSource.query(
        `SELECT entity_id, action, source, metadata FROM activity_logs WHERE user_id = $1 AND entity_type = 'note'`,
        [user.id],
      );
      expect(activity).toEqual([{ entity_id: res.body.data.id, action: 'note_created', source: 'user', metadata: {} }]);
    });

    it('should validate content length in code points and reject blanks', async () => {
      const { accessToken } = await loginAs(t);
      const emoji = '😀'.repeat(2000);
      expect((await as(t, accessToken).post('/api/v1/notes').send({ content: emoji })).status).toBe(201);
      const tooLong = expectError(
        await as(t, accessToken)
          .post('/api/v1/notes')
          .send({ content: 'x'.repeat(2001) }),
        400,
        'VALIDATION_ERROR',
      );
      expect(tooLong.details).toEqual([{ field: 'content', message: expect.any(String) }]);
      const blank = expectError(
        await as(t, accessToken).post('/api/v1/notes').send({ content: '   ' }),
        400,
        'VALIDATION_ERROR',
      );
      expect(blank.details).toEqual([{ field: 'content', message: 'must not be empty' }]);
      expectError(await as(t, accessToken).post('/api/v1/notes').send({}), 400, 'VALIDATION_ERROR');
    });

    it('should require a duration with voice_url and allow it only then', async () => {
      const { accessToken } = await loginAs(t, { tier: 'pro' });
      const missing = expectError(
        await as(t, accessToken)
          .post('/api/v1/notes')
          .send({ content: 'x', voice_url: 'https://cdn.example.com/a.webm' }),
        400,
        'VALIDATION_ERROR',
      );
      expect(missing.details).toEqual([{ field: 'voice_duration_seconds', message: expect.any(String) }]);
      const alone = expectError(
        await as(t, accessToken).post('/api/v1/notes').send({ content: 'x', voice_duration_seconds: 10 }),
        400,
        'VALIDATION_ERROR',
      );
      expect(alone.details).toEqual([{ field: 'voice_duration_seconds', message: expect.any(String) }]);
      const badUrl = expectError(
        await as(t, accessToken)
          .post('/api/v1/notes')
          .send({ content: 'x', voice_url: 'ftp://a/b', voice_duration_seconds: 10 }),
        400,
        'VALIDATION_ERROR',
      );
      expect(badUrl.details).toEqual([{ field: 'voice_url', message: expect.any(String) }]);
      expectError(
        await as(t, accessToken)
          .post('/api/v1/notes')
          .send({ content: 'x', voice_url: 'https://a.example/b', voice_duration_seconds: 301 }),
        400,
        'VALIDATION_ERROR',
      );
    });

    it('should store a Pro voice note as transcribed and refuse it on free with 403 TIER_REQUIRED', async () => {
      const free = await loginAs(t);
      const body = {
        content: 'Remember the milk',
        voice_url: 'https://cdn.example.com/n.webm',
        voice_duration_seconds: 42,
      };
      const refused = expectError(await as(t, free.accessToken).post('/api/v1/notes').send(body), 403, 'TIER_REQUIRED');
      expect(refused).toMatchObject({ required_tier: 'pro', current_tier: 'free' });
      const pro = await loginAs(t, { tier: 'pro' });
      const note = await createNote(pro.accessToken, body);
      expect(note).toMatchObject({
        voice_url: body.voice_url,
        voice_duration_seconds: 42,
        transcription_status: 'completed',
        transcription_text: null,
      });
    });

    it('should enforce 10 non-archived notes on free, counting before the request', async () => {
      const { accessToken } = await loginAs(t);
      const notes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => createNote(accessToken, { content: `n${i}` })),
      );
      const full = expectError(
        await as(t, accessToken).post('/api/v1/notes').send({ content: 'one more' }),
        409,
        'LIMIT_EXCEEDED',
      );
      expect(full).toMatchObject({ limit: 10, current: 10 });
      await as(t, accessToken).patch(`/api/v1/notes/${notes[0].id}`).send({ archived: true }).expect(200);
      await createNote(accessToken, { content: 'fits again' });
      // Limits are not re-checked on un-archive.
      await as(t, accessToken).patch(`/api/v1/notes/${notes[0].id}`).send({ archived: false }).expect(200);
    });

    it('should never let concurrent creations exceed the limit', async () => {
      const { accessToken, user } = await loginAs(t);
      const results = await Promise.all(
        Array.from({ length: 14 }, (_, i) =>
          as(t, accessToken)
            .post('/api/v1/notes')
            .send({ content: `c${i}` }),
        ),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(10);
      const refused = results.filter((r) => r.status === 409);
      expect(refused.map((r) => expectError(r, 409, 'LIMIT_EXCEEDED'))).toEqual(
        Array(4).fill(expect.objectContaining({ limit: 10, current: 10 })),
      );
      const stored = await t.dataSource.query('SELECT id FROM notes WHERE user_id = $1', [user.id]);
      expect(stored.map((row: { id: string }) => row.id).sort()).toEqual(
        results
          .filter((r) => r.status === 201)
          .map((r) => r.body.data.id)
          .sort(),
      );
    });

    it('should allow 25 on Pro', async () => {
      const { accessToken } = await loginAs(t, { tier: 'pro' });
      for (let i = 0; i < 25; i++) await createNote(accessToken, { content: `p${i}` });
      expect(
        expectError(await as(t, accessToken).post('/api/v1/notes').send({ content: 'x' }), 409, 'LIMIT_EXCEEDED'),
      ).toMatchObject({ limit: 25, current: 25 });
    });
  });

  describe('GET /api/v1/notes', () => {
    it('should list own non-archived notes newest first, or all with archived=true', async () => {
      const { accessToken } = await loginAs(t);
      const other = await loginAs(t);
      await createNote(other.accessToken);
      const first = await createNote(accessToken, { content: 'first' });
      const second = await createNote(accessToken, { content: 'second' });
      await as(t, accessToken).patch(`/api/v1/notes/${first.id}`).send({ archived: true }).expect(200);
      const active = await as(t, accessToken).get('/api/v1/notes');
      expect(active.status).toBe(200);
      expect(active.body.data.map((n: { id: string }) => n.id)).toEqual([second.id]);
      expect(active.body.pagination).toEqual({ offset: 0, limit: 25, total: 1, has_more: false });
      const all = await as(t, accessToken).get('/api/v1/notes?archived=true&limit=1');
      expect(all.body.data.map((n: { id: string }) => n.id)).toEqual([second.id]);
      expect(all.body.pagination).toEqual({ offset: 0, limit: 1, total: 2, has_more: true });
      expectError(await as(t, accessToken).get('/api/v1/notes?archived=maybe'), 400, 'VALIDATION_ERROR');
    });
  });

  describe('GET/PATCH/PUT/DELETE /api/v1/notes/{id}', () => {
    it('should answer 404 for unknown ids, 403 for other users and 400 for malformed ids', async () => {
      const { accessToken } = await loginAs(t);
      const other = await loginAs(t);
      const note = await createNote(other.accessToken);
      expectError(await as(t, accessToken).get('/api/v1/notes/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
      expectError(await as(t, accessToken).get(`/api/v1/notes/${note.id}`), 403, 'FORBIDDEN');
      expectError(await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ content: 'x' }), 403, 'FORBIDDEN');
      expectError(await as(t, accessToken).delete(`/api/v1/notes/${note.id}`), 403, 'FORBIDDEN');
      const bad = expectError(await as(t, accessToken).get('/api/v1/notes/not-a-uuid'), 400, 'VALIDATION_ERROR');
      expect(bad.details).toEqual([{ field: 'id', message: expect.any(String) }]);
      const upper = await as(t, other.accessToken).get(`/api/v1/notes/${String(note.id).toUpperCase()}`);
      expect(upper.body.data.id).toBe(note.id);
    });

    it('should update content and log the change', async () => {
      const { accessToken, user } = await loginAs(t);
      const note = await createNote(accessToken);
      const res = await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ content: 'Call on Monday' });
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({ id: note.id, content: 'Call on Monday', archived: false });
      expectError(
        await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ content: null }),
        400,
        'VALIDATION_ERROR',
      );
      expectError(
        await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ archived: 'yes' }),
        400,
        'VALIDATION_ERROR',
      );
      const actions = await t.dataSource.query(
        `SELECT action, metadata FROM activity_logs WHERE user_id = $1 AND entity_type = 'note' ORDER BY created_at`,
        [user.id],
      );
      expect(actions).toEqual([
        { action: 'note_created', metadata: {} },
        { action: 'note_updated', metadata: { changed_fields: ['content'] } },
      ]);
    });

    it('should make archived notes read-only until un-archived', async () => {
      const { accessToken } = await loginAs(t);
      const note = await createNote(accessToken);
      expect(
        (await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ archived: true })).body.data.archived,
      ).toBe(true);
      expectError(
        await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ content: 'edit' }),
        409,
        'ARCHIVED',
      );
      expectError(
        await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ content: 'edit', archived: true }),
        409,
        'ARCHIVED',
      );
      const noop = await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ archived: true });
      expect(noop.status).toBe(200);
      const unarchived = await as(t, accessToken)
        .patch(`/api/v1/notes/${note.id}`)
        .send({ archived: false, content: 'edited' });
      expect(unarchived.body.data).toMatchObject({ archived: false, content: 'edited' });
      expect((await as(t, accessToken).get(`/api/v1/notes/${note.id}`)).body.data.content).toBe('edited');
    });

    it('should serve the deprecated PUT alias with PATCH semantics and deprecation headers', async () => {
      const { accessToken } = await loginAs(t);
      const note = await createNote(accessToken);
      const res = await as(t, accessToken).put(`/api/v1/notes/${note.id}`).send({ content: 'via put' });
      expect(res.status).toBe(200);
      expect(res.body.data.content).toBe('via put');
      expect(res.headers).toMatchObject({
        deprecation: '@1772323200',
        sunset: 'Mon, 01 Mar 2027 00:00:00 GMT',
        link: `</api/v1/notes/${note.id}>; rel="successor-version"`,
      });
    });

    it('should delete a note permanently, archived ones included', async () => {
      const { accessToken } = await loginAs(t);
      const note = await createNote(accessToken);
      await as(t, accessToken).patch(`/api/v1/notes/${note.id}`).send({ archived: true }).expect(200);
      const res = await as(t, accessToken).delete(`/api/v1/notes/${note.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { id: note.id, deleted: true } });
      expectError(await as(t, accessToken).get(`/api/v1/notes/${note.id}`), 404, 'NOT_FOUND');
    });
  });
});
