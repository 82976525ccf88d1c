import { randomUUID } from 'node:crypto';
import { clearCredits, ledgerOf } from '../credits/credit-fixtures';
import { useAiTestApp } from '../support/ai-test-app';
import type { FakeOpenAi } from '../support/fake-openai';
import { as, expectError, loginAs } from '../support/factories';
import type { TestApp } from '../support/test-app';

describe('POST /api/v1/notes/{id}/convert', () => {
  const ai = useAiTestApp({
    RATE_LIMIT_AI: '7',
  });
  let t: TestApp;
  let fake: FakeOpenAi;
  beforeAll(() => ({ t, fake } = ai));

  async function note(
    token: string,
    content = 'Call the supplier tomorrow about the late delivery, urgent',
  ): Promise<string> {
    const res = await as(t, token).post('/api/v1/notes').send({ content });
    return res.body.data.id;
  }

  it('should return a post-processed suggestion, charge 1 credit and create nothing', async () => {
    const { accessToken, user } = await loginAs(t);
    const id = await note(accessToken);
    const soon = new Date(Date.now() + 2 * 86_400_000).toISOString();
    fake.content = {
      task: {
        title: '  Call the supplier  ',
        description: 'About the late delivery',
        priority: 'urgent!!',
        due_date: soon,
        estimated_duration: 15,
        subtasks: [
          { title: 'Find order number' },
          { title: 'find order number' },
          { title: 'Call' },
          { title: 'Log' },
          { title: 'Mail' },
          { title: 'Six' },
        ],
      },
      note_understanding: 'A call to make',
      confidence: 1.7,
    };
    const res = await as(t, accessToken).post(`/api/v1/notes/${id}/convert`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        task_suggestion: {
          title: 'Call the supplier',
          description: 'About the late delivery',
          priority: 'medium',
          due_date: new Date(soon).toISOString(),
          estimated_duration: 15,
          subtasks: [{ title: 'Find order number' }, { title: 'Call' }, { title: 'Log' }, { title: 'Mail' }],
        },
        note_understanding: 'A call to make',
        confidence: 1,
        credits_used: 1,
        credits_remaining: 4,
      },
    });
    expect(res.headers['x-ratelimit-limit']).toBe('7');
    expect(JSON.stringify(fake.requests[0].body.messages)).toContain('Call the supplier tomorrow');
    expect(await t.dataSource.query('SELECT id FROM task_instances WHERE user_id = $1', [user.id])).toEqual([]);
    const stored = (await as(t, accessToken).get(`/api/v1/notes/${id}`)).body.data;
    expect(stored).toMatchObject({ archived: false, converted_task_id: null });
    const [entry] = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume');
    expect(entry).toMatchObject({ operation_ref: `note_conversion:${id}` });
    const activity = await t.dataSource.query(
      `SELECT entity_type, entity_id, source FROM activity_logs WHERE user_id = $1 AND action = 'ai_note_conversion'`,
      [user.id],
    );
    expect(activity).toEqual([{ entity_type: 'ai_chat', entity_id: id, source: 'ai' }]);
  });

  it('should default missing fields and drop due dates beyond 30 days and bad estimates', async () => {
    const { accessToken } = await loginAs(t, { tier: 'pro' });
    const id = await note(accessToken);
    fake.content = {
      task: {
        title: 'T',
        due_date: new Date(Date.now() + 40 * 86_400_000).toISOString(),
        estimated_duration: 721,
        priority: 'high',
      },
    };
    const res = await as(t, accessToken).post(`/api/v1/notes/${id}/convert`);
    expect(res.body.data).toEqual({
      task_suggestion: {
        title: 'T',
        description: '',
        priority: 'high',
        due_date: null,
        estimated_duration: null,
        subtasks: [],
      },
      note_understanding: '',
      confidence: 0.5,
      credits_used: 1,
      credits_remaining: 114,
    });
  });

  it('should charge nothing for an unusable answer or a failing provider', async () => {
    const { accessToken, user } = await loginAs(t);
    const id = await note(accessToken);
    fake.content = { task: { description: 'no title' } };
    expectError(await as(t, accessToken).post(`/api/v1/notes/${id}/convert`), 503, 'AI_SERVICE_UNAVAILABLE');
    fake.mode = 'error';
    expectError(await as(t, accessToken).post(`/api/v1/notes/${id}/convert`), 503, 'AI_SERVICE_UNAVAILABLE');
    expect((await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume')).toEqual([]);
  });

  it('should answer 409 ARCHIVED, 404, 403 and 402 before calling the provider', async () => {
    const { accessToken, user } = await loginAs(t);
    const other = await loginAs(t);
    const id = await note(accessToken);
    await as(t, accessToken).patch(`/api/v1/notes/${id}`).send({ archived: true }).expect(200);
    expectError(await as(t, accessToken).post(`/api/v1/notes/${id}/convert`), 409, 'ARCHIVED');
    expectError(await as(t, accessToken).post(`/api/v1/notes/${randomUUID()}/convert`), 404, 'NOT_FOUND');
    expectError(
      await as(t, accessToken).post(`/api/v1/notes/${await note(other.accessToken)}/convert`),
      403,
      'FORBIDDEN',
    );
    await clearCredits(t, user.id);
    expectError(
      await as(t, accessToken).post(`/api/v1/notes/${await note(accessToken)}/convert`),
      402,
      'INSUFFICIENT_CREDITS',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('should count in the ai bucket, not the general one', async () => {
    const { accessToken } = await loginAs(t);
    const id = await note(accessToken);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await as(t, accessToken).post(`/api/v1/notes/${id}/convert`)).status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect((await as(t, accessToken).get('/api/v1/notes')).status).toBe(200);
  });
});
