import { randomUUID } from 'node:crypto';
import type supertest from 'supertest';
import { FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { as, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Parallel duplicates of one action have one effect (issue #8). Already proven elsewhere and not
 * repeated here: same-version PATCHes (test/tasks/tasks-update), concurrent refreshes
 * (test/auth/refresh-logout), webhook deliveries of one event (test/billing/checkout-webhook),
 * parallel chats against the balance (test/ai/ai-chat), ledger reservations (test/credits),
 * focus starts (test/focus).
 */
describe('exactly once under concurrency', () => {
  let t: TestApp;
  let openAi: FakeOpenAi;

  beforeAll(async () => {
    openAi = await startFakeOpenAi();
    t = await createTestApp({
      OPENAI_API_KEY: 'sk-concurrency',
      OPENAI_BASE_URL: openAi.url,
      RATE_LIMIT_GENERAL: '100000',
      RATE_LIMIT_AI: '100000',
    });
  });

  afterEach(() => openAi.reset());

  afterAll(async () => {
    await t?.close();
    await openAi?.close();
  });

  const parallel = (n: number, request: () => supertest.Test): Promise<supertest.Response[]> =>
    Promise.all(Array.from({ length: n }, request));
  const rows = (sql: string, ...params: unknown[]): Promise<Array<Record<string, unknown>>> =>
    t.dataSource.query(sql, params);

  async function member(): Promise<{ id: string; token: string; api: ReturnType<typeof as> }> {
    const { user, accessToken } = await loginAs(t);
    return { id: user.id, token: accessToken, api: as(t, accessToken) };
  }

  it('should run parallel requests with one Idempotency-Key once and answer the others in progress or with the replay', async () => {
    const alice = await member();
    const key = randomUUID();
    const responses = await parallel(10, () =>
      t.http
        .post('/api/v1/tasks')
        .set('Authorization', `Bearer ${alice.token}`)
        .set('Idempotency-Key', key)
        .send({ title: 'Once' }),
    );
    const created = responses.filter((r) => r.status === 201);
    const busy = responses.filter((r) => r.status === 409);
    expect(created.length + busy.length).toBe(10);
    expect(busy.every((r) => r.body.error.code === 'IDEMPOTENCY_IN_PROGRESS')).toBe(true);
    expect(new Set(created.map((r) => r.body.data.id)).size).toBe(1);
    await expect(rows('SELECT id FROM task_instances WHERE user_id = $1', alice.id)).resolves.toHaveLength(1);
    const replay = await t.http
      .post('/api/v1/tasks')
      .set('Authorization', `Bearer ${alice.token}`)
      .set('Idempotency-Key', key)
      .send({ title: 'Once' });
    expect(replay.headers['x-idempotent-replayed']).toBe('true');
    expect(replay.body.data.id).toBe(created[0].body.data.id);
  });

  it('should charge a chat once when its request is sent in parallel with one key', async () => {
    const alice = await member();
    openAi.delayMs = 200;
    const key = randomUUID();
    const responses = await parallel(6, () =>
      t.http
        .post('/api/v1/ai/chat')
        .set('Authorization', `Bearer ${alice.token}`)
        .set('Idempotency-Key', key)
        .send({ message: 'Plan my day' }),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(openAi.requests).toHaveLength(1);
    await expect(
      rows(`SELECT amount FROM ai_credit_ledger WHERE user_id = $1 AND operation = 'consume'`, alice.id),
    ).resolves.toEqual([{ amount: -1 }]);
  });

  it('should spend each credit once when different AI features race for the last credits', async () => {
    const alice = await member();
    const task = (await alice.api.post('/api/v1/tasks').send({ title: 'Plan the offsite' })).body.data;
    const note = (await alice.api.post('/api/v1/notes').send({ content: 'Call the venue' })).body.data;
    openAi.content = {
      subtasks: [{ title: 'Book' }],
      task: { title: 'Call the venue' },
      note_understanding: 'call',
      confidence: 0.9,
    };
    openAi.delayMs = 50;
    const responses = await Promise.all([
      ...Array.from({ length: 4 }, () => alice.api.post('/api/v1/ai/chat').send({ message: 'hi' })),
      ...Array.from({ length: 4 }, () => alice.api.post('/api/v1/ai/generate-subtasks').send({ task_id: task.id })),
      ...Array.from({ length: 4 }, () => alice.api.post(`/api/v1/notes/${note.id}/convert`)),
    ]);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    expect(responses.filter((r) => r.status !== 200).every((r) => r.body.error.code === 'INSUFFICIENT_CREDITS')).toBe(
      true,
    );
    const ledger = await rows(
      `SELECT operation, amount, consumed, balance_after, status FROM ai_credit_ledger WHERE user_id = $1`,
      alice.id,
    );
    expect(ledger.filter((e) => e.operation === 'consume').map((e) => e.amount)).toEqual([-1, -1, -1, -1, -1]);
    expect(ledger.every((e) => Number(e.balance_after) >= 0 && e.status === 'committed')).toBe(true);
    expect(ledger.find((e) => e.operation === 'grant')).toMatchObject({ amount: 5, consumed: 5 });
    expect((await alice.api.get('/api/v1/credits/balance')).body.data.total).toBe(0);
  });

  it('should complete a task once under parallel force-completes, counting it once', async () => {
    const alice = await member();
    const task = (await alice.api.post('/api/v1/tasks').send({ title: 'Race to done' })).body.data;
    const responses = await parallel(6, () => alice.api.post(`/api/v1/tasks/${task.id}/force-complete`));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.error.code === 'ALREADY_COMPLETED')).toBe(
      true,
    );
    const stats = (await alice.api.get('/api/v1/achievements/stats')).body.data.stats;
    expect(stats.lifetime_tasks_completed).toBe(1);
    await expect(
      rows(`SELECT 1 FROM activity_logs WHERE user_id = $1 AND action = 'task_completed'`, alice.id),
    ).resolves.toHaveLength(1);
  });

  it('should delete a task into one tombstone and recover it once under parallel requests', async () => {
    const alice = await member();
    const task = (await alice.api.post('/api/v1/tasks').send({ title: 'Deleted twice' })).body.data;
    const deletions = await parallel(5, () => alice.api.delete(`/api/v1/tasks/${task.id}`));
    expect(deletions.map((r) => r.status).sort()).toEqual([200, 404, 404, 404, 404]);
    const [tombstone] = await rows('SELECT id FROM deletion_tombstones WHERE user_id = $1', alice.id);
    expect(await rows('SELECT id FROM deletion_tombstones WHERE user_id = $1', alice.id)).toHaveLength(1);

    const recoveries = await parallel(5, () => alice.api.post(`/api/v1/tasks/recover/${String(tombstone.id)}`));
    expect(recoveries.filter((r) => r.status === 200)).toHaveLength(1);
    expect(recoveries.filter((r) => r.status !== 200).every((r) => [404, 409].includes(r.status))).toBe(true);
    await expect(rows('SELECT id FROM task_instances WHERE user_id = $1', alice.id)).resolves.toEqual([
      { id: task.id },
    ]);
    await expect(rows('SELECT id FROM deletion_tombstones WHERE user_id = $1', alice.id)).resolves.toEqual([]);
  });
});
