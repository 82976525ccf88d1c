import { createHash, randomUUID } from 'node:crypto';
import { as, expectError, loginAs } from '@app/testing/factories';
import { startFakeOpenAi, FakeOpenAi } from '@app/testing/fake-openai';
import { createTestApp, TestApp } from '@app/testing/test-app';

const SECRET = /^pf_pat_[A-Za-z0-9_-]{43}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DAY = 86_400_000;

interface Owner {
  id: string;
  session: ReturnType<typeof as>;
}

describe('Personal access tokens (docs/access-tokens.md)', () => {
  let t: TestApp;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await createTestApp({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url, RATE_LIMIT_GENERAL: '100000' });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  async function owner(): Promise<Owner> {
    const login = await loginAs(t);
    return { id: login.user.id, session: as(t, login.accessToken) };
  }

  async function issue(
    who: Owner,
    scopes: string[],
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; secret: string; api: ReturnType<typeof as> }> {
    const response = await who.session.post('/api/v1/access-tokens').send({ name: 'Assistant', scopes, ...extra });
    if (response.status !== 201) throw new Error(`token create failed: ${JSON.stringify(response.body)}`);
    return { id: response.body.data.id, secret: response.body.data.token, api: as(t, response.body.data.token) };
  }

  async function taskCount(userId: string): Promise<number> {
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM task_instances WHERE user_id = $1`, [
      userId,
    ]);
    return row.n;
  }

  describe('creation', () => {
    it('should show the secret once and store only its SHA-256, not even in the idempotency store', async () => {
      const alice = await owner();
      const key = randomUUID();
      const expiresAt = new Date(Date.now() + 30 * DAY).toISOString();
      const body = { name: 'Claude Desktop', scopes: ['read', 'write'], expires_at: expiresAt };
      const response = await alice.session.post('/api/v1/access-tokens').set('Idempotency-Key', key).send(body);
      expect(response.status).toBe(201);
      const { token, ...shown } = response.body.data;
      expect(token).toMatch(SECRET);
      expect(shown).toEqual({
        id: expect.any(String),
        name: 'Claude Desktop',
        scopes: ['read', 'write'],
        token_hint: token.slice(0, 11),
        created_at: expect.stringMatching(ISO),
        expires_at: expiresAt,
        last_used_at: null,
        expired: false,
      });
      const [row] = await t.dataSource.query(`SELECT * FROM personal_access_tokens WHERE id = $1`, [shown.id]);
      expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(token);
      const [stored] = await t.dataSource.query(
        `SELECT response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
        [alice.id, key],
      );
      expect(stored.response_body).toContain(shown.id);
      expect(stored.response_body).not.toContain(token);

      const replay = await alice.session.post('/api/v1/access-tokens').set('Idempotency-Key', key).send(body);
      expect(replay.status).toBe(201);
      expect(replay.headers['x-idempotent-replayed']).toBe('true');
      expect(replay.body.data).toEqual({ ...shown, token: null });
      const [count] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM personal_access_tokens WHERE user_id = $1`,
        [alice.id],
      );
      expect(count.n).toBe(1);
      const entries = await t.dataSource.query(
        `SELECT entity_type, entity_id, action, source, metadata FROM activity_logs WHERE user_id = $1 AND entity_type = 'access_token'`,
        [alice.id],
      );
      expect(entries).toEqual([
        {
          entity_type: 'access_token',
          entity_id: shown.id,
          action: 'access_token_created',
          source: 'user',
          metadata: { name: 'Claude Desktop', scopes: ['read', 'write'] },
        },
      ]);
    });

    it.each([
      [{ name: 'x', scopes: ['admin'] }, 'scopes'],
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x', scopes: ['read', 'read'] }, 'scopes'],
      [{ name: '', scopes: ['read'] }, 'name'],
      [{ name: 'x', scopes: ['read'], expires_at: new Date(Date.now() - 1000).toISOString() }, 'expires_at'],
      [{ name: 'x', scopes: ['read'], expires_at: new Date(Date.now() + 400 * DAY).toISOString() }, 'expires_at'],
    ])('should refuse %j as a 400 on %s', async (body, field) => {
      const alice = await owner();
      const response = await alice.session.post('/api/v1/access-tokens').send(body);
      const error = expectError(response, 400, 'VALIDATION_ERROR');
      expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    });

    it('should cap a user at 20 active tokens (revoked and expired ones do not count)', async () => {
      const alice = await owner();
      await t.dataSource.query(
        `INSERT INTO personal_access_tokens (user_id, name, scopes, token_hash, token_hint, expires_at, revoked_at)
         SELECT $1, 'Bulk ' || n, ARRAY['read'], md5(random()::text) || md5(random()::text), 'pf_pat_bulk',
                CASE WHEN n = 21 THEN now() - interval '1 day' END, CASE WHEN n = 22 THEN now() END
         FROM generate_series(1, 22) AS n`,
        [alice.id],
      );
      const response = await alice.session.post('/api/v1/access-tokens').send({ name: 'One more', scopes: ['read'] });
      expect(expectError(response, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 20, current: 20 });
    });
  });

  describe('listing and revocation', () => {
    it('should list tokens newest first without secrets, with last_used_at written at most once a minute', async () => {
      const alice = await owner();
      const first = await issue(alice, ['read']);
      const second = await issue(alice, ['write', 'ai']);
      expect((await first.api.get('/api/v1/tasks')).status).toBe(200);
      const list = await alice.session.get('/api/v1/access-tokens');
      expect(list.status).toBe(200);
      expect(list.body.data.map((token: { id: string }) => token.id)).toEqual([second.id, first.id]);
      expect(JSON.stringify(list.body)).not.toContain(first.secret);
      expect(list.body.data[0]).not.toHaveProperty('token');
      expect(list.body.data[0].last_used_at).toBeNull();
      const usedAt = list.body.data[1].last_used_at;
      expect(usedAt).toMatch(ISO);

      expect((await first.api.get('/api/v1/tasks')).status).toBe(200);
      const [row] = await t.dataSource.query(`SELECT last_used_at FROM personal_access_tokens WHERE id = $1`, [
        first.id,
      ]);
      expect(row.last_used_at.toISOString()).toBe(usedAt);

      await t.dataSource.query(
        `UPDATE personal_access_tokens SET last_used_at = now() - interval '2 minutes' WHERE id = $1`,
        [first.id],
      );
      expect((await first.api.get('/api/v1/tasks')).status).toBe(200);
      const [touched] = await t.dataSource.query(
        `SELECT last_used_at > now() - interval '1 minute' AS fresh FROM personal_access_tokens WHERE id = $1`,
        [first.id],
      );
      expect(touched.fresh).toBe(true);
    });

    it('should make a revoked token 401 at once and drop it from the list', async () => {
      const alice = await owner();
      const token = await issue(alice, ['read']);
      const revoked = await alice.session.delete(`/api/v1/access-tokens/${token.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body).toEqual({ data: { id: token.id, deleted: true } });
      expect(expectError(await token.api.get('/api/v1/tasks'), 401, 'UNAUTHORIZED').message).toBe(
        'This personal access token was revoked',
      );
      expect((await alice.session.get('/api/v1/access-tokens')).body.data).toEqual([]);
      const [entry] = await t.dataSource.query(
        `SELECT source FROM activity_logs WHERE entity_id = $1 AND action = 'access_token_revoked'`,
        [token.id],
      );
      expect(entry).toEqual({ source: 'user' });
      expectError(await alice.session.delete(`/api/v1/access-tokens/${token.id}`), 404, 'NOT_FOUND');
    });

    it('should answer 401 for an expired token, listing it as expired', async () => {
      const alice = await owner();
      const token = await issue(alice, ['read'], { expires_at: new Date(Date.now() + DAY).toISOString() });
      await t.dataSource.query(
        `UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [token.id],
      );
      expect(expectError(await token.api.get('/api/v1/tasks'), 401, 'UNAUTHORIZED').message).toBe(
        'This personal access token expired',
      );
      const list = await alice.session.get('/api/v1/access-tokens');
      expect(list.body.data).toEqual([expect.objectContaining({ id: token.id, expired: true })]);
    });

    it('should answer 401 for an unknown or malformed token', async () => {
      expectError(await as(t, `pf_pat_${'A'.repeat(43)}`).get('/api/v1/tasks'), 401, 'UNAUTHORIZED');
      expectError(await as(t, 'pf_pat_short').get('/api/v1/tasks'), 401, 'UNAUTHORIZED');
    });

    it("should refuse to revoke another user's token (403) and an unknown id (404)", async () => {
      const alice = await owner();
      const bob = await owner();
      const token = await issue(alice, ['read']);
      expectError(await bob.session.delete(`/api/v1/access-tokens/${token.id}`), 403, 'FORBIDDEN');
      expectError(await bob.session.delete(`/api/v1/access-tokens/${randomUUID()}`), 404, 'NOT_FOUND');
      expect((await token.api.get('/api/v1/tasks')).status).toBe(200);
    });
  });

  describe('scopes on the REST API', () => {
    it('should let a read token GET but not change anything', async () => {
      const alice = await owner();
      const token = await issue(alice, ['read']);
      const list = await token.api.get('/api/v1/tasks');
      expect(list.status).toBe(200);
      expect(list.body.data).toEqual([]);
      const denied = await token.api.post('/api/v1/tasks').send({ title: 'Nope' });
      expect(expectError(denied, 403, 'INSUFFICIENT_SCOPE')).toMatchObject({ required_scope: 'write' });
      expect(await taskCount(alice.id)).toBe(0);
    });

    it('should let a write token change tasks as the user, and refuse it reads', async () => {
      const alice = await owner();
      const token = await issue(alice, ['write']);
      const created = await token.api.post('/api/v1/tasks').send({ title: 'Through a token' });
      expect(created.status).toBe(201);
      expect(created.body.data).toMatchObject({ title: 'Through a token' });
      const [entry] = await t.dataSource.query(
        `SELECT source FROM activity_logs WHERE user_id = $1 AND entity_id = $2 AND action = 'task_created'`,
        [alice.id, created.body.data.id],
      );
      expect(entry).toEqual({ source: 'user' });
      expect(expectError(await token.api.get('/api/v1/tasks'), 403, 'INSUFFICIENT_SCOPE')).toMatchObject({
        required_scope: 'read',
      });
      const noKey = await t.http
        .post('/api/v1/tasks')
        .set('Authorization', `Bearer ${token.secret}`)
        .send({ title: 'No key' });
      expectError(noKey, 400, 'VALIDATION_ERROR');
    });

    it('should need the ai scope for endpoints that spend credits', async () => {
      const alice = await owner();
      const task = (await alice.session.post('/api/v1/tasks').send({ title: 'Plan the offsite' })).body.data.id;
      const writer = await issue(alice, ['read', 'write']);
      const denied = await writer.api.post('/api/v1/ai/generate-subtasks').send({ task_id: task });
      expect(expectError(denied, 403, 'INSUFFICIENT_SCOPE')).toMatchObject({ required_scope: 'ai' });
      expect(fake.requests).toHaveLength(0);

      fake.content = { subtasks: [{ title: 'Book venue' }] };
      const ai = await issue(alice, ['ai']);
      const allowed = await ai.api.post('/api/v1/ai/generate-subtasks').send({ task_id: task });
      expect(allowed.status).toBe(200);
      expect(allowed.body.data).toMatchObject({ suggested_subtasks: [{ title: 'Book venue' }], credits_used: 1 });
    });

    it('should never manage tokens, delete the account or pay, whatever its scopes', async () => {
      const alice = await owner();
      const token = await issue(alice, ['read', 'write', 'ai']);
      const refused = [
        await token.api.get('/api/v1/access-tokens'),
        await token.api.post('/api/v1/access-tokens').send({ name: 'Escalate', scopes: ['read'] }),
        await token.api.delete(`/api/v1/access-tokens/${token.id}`),
        await token.api.delete('/api/v1/users/me').send({ confirm: 'DELETE' }),
        await token.api.post('/api/v1/subscription/checkout').send({}),
        await token.api.post('/api/v1/calendar-feed'),
      ];
      for (const response of refused) expectError(response, 403, 'SESSION_REQUIRED');
      const [user] = await t.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE id = $1`, [alice.id]);
      expect(user.n).toBe(1);
      const [tokens] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM personal_access_tokens WHERE user_id = $1 AND revoked_at IS NULL`,
        [alice.id],
      );
      expect(tokens.n).toBe(1);
      expect((await token.api.get('/api/v1/subscription')).status).toBe(200);
    });
  });
});
