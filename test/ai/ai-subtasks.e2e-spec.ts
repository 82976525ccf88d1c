import { randomUUID } from 'node:crypto';
import { ledgerOf } from '../credits/credit-fixtures';
import { startFakeOpenAi, FakeOpenAi } from '../support/fake-openai';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { insertTask } from './ai-fixtures';

describe('POST /api/v1/ai/generate-subtasks', () => {
  let t: TestApp;
  let fake: FakeOpenAi;
  const twelve = Array.from({ length: 12 }, (_, i) => ({ title: `Step ${i + 1}` }));

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    t = await createTestApp({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.url,
      RATE_LIMIT_AI: '1000',
    });
  });

  afterEach(() => fake.reset());

  afterAll(async () => {
    await t.close();
    await fake.close();
  });

  it('should suggest at most 4 cleaned, de-duplicated titles on free and charge 1 credit', async () => {
    const { accessToken, user } = await loginAs(t);
    const task = await insertTask(t, user.id, { title: 'Plan the offsite', description: 'Team of 8' });
    fake.content = {
      subtasks: [
        { title: '  Book venue ' },
        { title: 'book VENUE' },
        { title: '' },
        'Send invites',
        { title: 'x'.repeat(250) },
        { title: 'Order food' },
        { title: 'Extra' },
      ],
    };
    const res = await as(t, accessToken).post('/api/v1/ai/generate-subtasks').send({ task_id: task });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        suggested_subtasks: [
          { title: 'Book venue' },
          { title: 'Send invites' },
          { title: 'x'.repeat(200) },
          { title: 'Order food' },
        ],
        credits_used: 1,
        credits_remaining: 4,
        ai_request_warning: false,
      },
    });
    expect(fake.requests[0].body.response_format).toEqual({ type: 'json_object' });
    expect(JSON.stringify(fake.requests[0].body.messages)).toContain('Plan the offsite');
    expect(await t.dataSource.query('SELECT id FROM subtasks WHERE task_id = $1', [task])).toEqual([]);
    const [entry] = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume');
    expect(entry).toMatchObject({ operation_ref: `subtask_generation:${task}`, amount: -1, status: 'committed' });
    const activity = await t.dataSource.query(
      `SELECT entity_id, metadata FROM activity_logs WHERE user_id = $1 AND action = 'ai_subtask_generation'`,
      [user.id],
    );
    expect(activity).toEqual([{ entity_id: task, metadata: { task_id: task, count: 4, credits_used: 1 } }]);
  });

  it('should allow 10 suggestions on Pro', async () => {
    const { accessToken, user } = await loginAs(t, { tier: 'pro' });
    const task = await insertTask(t, user.id);
    fake.content = { subtasks: twelve };
    const res = await as(t, accessToken).post('/api/v1/ai/generate-subtasks').send({ task_id: task });
    expect(res.body.data.suggested_subtasks).toEqual(twelve.slice(0, 10));
    expect(res.body.data.credits_remaining).toBe(114);
  });

  it.each([
    ['no usable title', { subtasks: [{ title: '  ' }] }],
    ['not JSON', 'Here are some steps: 1. do it'],
    ['a wrong shape', { steps: ['a'] }],
  ])('should answer 503 and charge nothing for %s', async (_case, content) => {
    const { accessToken, user } = await loginAs(t);
    const task = await insertTask(t, user.id);
    fake.content = content;
    expectError(
      await as(t, accessToken).post('/api/v1/ai/generate-subtasks').send({ task_id: task }),
      503,
      'AI_SERVICE_UNAVAILABLE',
    );
    expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toEqual([]);
  });

  it('should refuse archived, unknown and foreign tasks before charging', async () => {
    const { accessToken, user } = await loginAs(t);
    const other = await loginAs(t);
    expectError(
      await as(t, accessToken)
        .post('/api/v1/ai/generate-subtasks')
        .send({ task_id: await insertTask(t, user.id, { archived: true }) }),
      409,
      'ARCHIVED',
    );
    expectError(
      await as(t, accessToken).post('/api/v1/ai/generate-subtasks').send({ task_id: randomUUID() }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await as(t, accessToken)
        .post('/api/v1/ai/generate-subtasks')
        .send({ task_id: await insertTask(t, other.user.id) }),
      403,
      'FORBIDDEN',
    );
    const missing = expectError(
      await as(t, accessToken).post('/api/v1/ai/generate-subtasks').send({}),
      400,
      'VALIDATION_ERROR',
    );
    expect(missing.details).toEqual([{ field: 'task_id', message: expect.any(String) }]);
    expect(fake.requests).toHaveLength(0);
  });
});
