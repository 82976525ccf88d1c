import type supertest from 'supertest';
import { FakeCheckout, startFakeCheckout } from '../support/fake-checkout';
import { FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { as, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Parallel creations at every count limit that no other suite races (docs/rules.md §1: count check and
 * insert in one transaction with the user row locked). Already proven elsewhere: tasks
 * (test/tasks/tasks-crud), notes (test/notes/notes), reminders (test/reminders/reminders).
 */
describe('limits under concurrency', () => {
  let t: TestApp;
  let checkout: FakeCheckout;
  let openAi: FakeOpenAi;
  const ORIGIN = 'https://app.example.com';

  beforeAll(async () => {
    [checkout, openAi] = await Promise.all([startFakeCheckout(), startFakeOpenAi()]);
    t = await createTestApp({
      ...checkout.env(),
      OPENAI_API_KEY: 'sk-concurrency',
      OPENAI_BASE_URL: openAi.url,
      RATE_LIMIT_GENERAL: '100000',
      RATE_LIMIT_AI: '100000',
    });
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([checkout?.close(), openAi?.close()]);
  });

  const statuses = (responses: supertest.Response[]): number[] => responses.map((r) => r.status).sort();
  const count = async (sql: string, ...params: unknown[]): Promise<number> =>
    Number((await t.dataSource.query(sql, params))[0].count);
  const parallel = (n: number, request: (i: number) => supertest.Test): Promise<supertest.Response[]> =>
    Promise.all(Array.from({ length: n }, (_, i) => request(i)));

  async function freeUserAtTaskLimit(free: number): Promise<{ id: string; api: ReturnType<typeof as> }> {
    const { user, accessToken } = await loginAs(t);
    await t.dataSource.query(
      `INSERT INTO task_instances (user_id, title) SELECT $1, 'Bulk ' || n FROM generate_series(1, $2) AS n`,
      [user.id, 50 - free],
    );
    return { id: user.id, api: as(t, accessToken) };
  }

  it('should never exceed 4 subtasks per task (free), keeping order_index gapless', async () => {
    const { accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const task = (await api.post('/api/v1/tasks').send({ title: 'Race' })).body.data;
    await api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: 'Existing' });
    const responses = await parallel(8, (i) => api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: `P${i}` }));
    expect(statuses(responses)).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(responses.filter((r) => r.status === 409).every((r) => r.body.error.code === 'LIMIT_EXCEEDED')).toBe(true);
    const indexes = await t.dataSource.query('SELECT order_index FROM subtasks WHERE task_id = $1 ORDER BY 1', [
      task.id,
    ]);
    expect(indexes.map((row: { order_index: number }) => row.order_index)).toEqual([0, 1, 2, 3]);
  });

  it('should never exceed the subtask limit when AI subtasks are confirmed in parallel', async () => {
    const { accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    const task = (await api.post('/api/v1/tasks').send({ title: 'AI race' })).body.data;
    const responses = await parallel(4, () =>
      api.post('/api/v1/ai/confirm-action').send({
        action_type: 'create_subtasks',
        action_data: { task_id: task.id, subtasks: [{ title: 'a' }, { title: 'b' }] },
      }),
    );
    expect(statuses(responses)).toEqual([200, 200, 409, 409]);
    await expect(count('SELECT count(*) FROM subtasks WHERE task_id = $1', task.id)).resolves.toBe(4);
  });

  it('should never exceed the active-task limit across tasks, templates, generation and AI-confirmed tasks', async () => {
    const member = await freeUserAtTaskLimit(3);
    const template = await t.dataSource.query(
      `INSERT INTO task_templates (user_id, title, rrule, dtstart, next_due) VALUES ($1, 'T', 'FREQ=DAILY', now(), now() + interval '1 day') RETURNING id`,
      [member.id],
    );
    const responses = await Promise.all([
      ...Array.from({ length: 3 }, (_, i) => member.api.post('/api/v1/tasks').send({ title: `Direct ${i}` })),
      ...Array.from({ length: 3 }, (_, i) =>
        member.api.post('/api/v1/templates').send({ title: `Template ${i}`, rrule: 'FREQ=DAILY' }),
      ),
      ...Array.from({ length: 3 }, () => member.api.post(`/api/v1/templates/${template[0].id}/generate`)),
      ...Array.from({ length: 3 }, (_, i) =>
        member.api
          .post('/api/v1/ai/confirm-action')
          .send({ action_type: 'create_task', action_data: { title: `AI ${i}` } }),
      ),
    ]);
    expect(responses.filter((r) => r.status < 300)).toHaveLength(3);
    expect(responses.filter((r) => r.status >= 300).every((r) => r.body.error.code === 'LIMIT_EXCEEDED')).toBe(true);
    await expect(
      count(
        'SELECT count(*) FROM task_instances WHERE user_id = $1 AND NOT completed AND NOT archived AND NOT hidden',
        member.id,
      ),
    ).resolves.toBe(50);
    // A template whose first instance was refused was not created either (nothing half-done).
    await expect(
      count(
        'SELECT count(*) FROM task_templates t WHERE user_id = $1 AND id <> $2 AND NOT EXISTS (SELECT 1 FROM task_instances i WHERE i.template_id = t.id)',
        member.id,
        template[0].id,
      ),
    ).resolves.toBe(0);
  });

  it('should never let parallel purchases pass the 500-credit monthly cap', async () => {
    const { accessToken, user } = await loginAs(t);
    const api = as(t, accessToken);
    const responses = await parallel(8, () =>
      api.post('/api/v1/subscription/purchase-credits').set('Origin', ORIGIN).send({ amount: 150 }),
    );
    expect(statuses(responses)).toEqual([200, 200, 200, 409, 409, 409, 409, 409]);
    await expect(
      count(
        `SELECT coalesce(sum(credits), 0) AS count FROM payment_sessions WHERE user_id = $1 AND purpose = 'credit_purchase' AND status = 'pending'`,
        user.id,
      ),
    ).resolves.toBe(450);
  });
});
