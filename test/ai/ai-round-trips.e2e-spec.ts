import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { useAiTestApp } from '../support/ai-test-app';
import { as, expectError, loginAs } from '../support/factories';
import { StatementTrace, TracedStatement } from '../support/statement-trace';
import type { TestApp } from '../support/test-app';
import { insertTask } from './ai-fixtures';

/**
 * docs/round-trips.md §6: the statements and commits of an AI request (two atomic phases around
 * the provider call, docs/api.md §1.10), from a statement trace of each request. The key's own
 * statements (its lock, lookup, lease check and stored outcome) are counted in the total only.
 */
describe('round trips of the AI requests', () => {
  const ai = useAiTestApp({ RATE_LIMIT_AI: '1000', RATE_LIMIT_GENERAL: '1000' });
  let t: TestApp;
  let trace: StatementTrace;
  beforeAll(() => {
    t = ai.t;
    trace = new StatementTrace(t.dataSource);
  });

  const statementsOf = (response: Response): TracedStatement[] => trace.of(response.headers['x-request-id']);
  const commitsOf = (response: Response): number => trace.commitsOf(response.headers['x-request-id']);
  const isKeyStatement = (statement: TracedStatement): boolean =>
    statement.name === null && /idempotency_keys|pg_try_advisory_xact_lock/.test(statement.text);
  const ownStatements = (response: Response): string[] =>
    statementsOf(response)
      .filter((statement) => !isKeyStatement(statement))
      .map((statement) => statement.name ?? statement.text.trim().split(/\s+/).slice(0, 2).join(' '));
  const PHASES = [
    'START TRANSACTION',
    'credit_state_locked',
    'credit_reserve_claim',
    'COMMIT',
    'START TRANSACTION',
    'credit_reservation_charge',
    'activity_insert',
    'COMMIT',
  ];

  it('should chat in two commits: credit state, reservation with the claim, then the charge with its activity entries', async () => {
    const { user, accessToken } = await loginAs(t);
    const api = as(t, accessToken);
    ai.fake.content = { response: 'Start with the report.', suggested_actions: [] };

    const chats = [];
    for (let i = 0; i < 2; i++)
      chats.push(await api.post('/api/v1/ai/chat').send({ message: 'What next?' }).expect(200));

    expect(chats[1].body.data).toEqual({
      response: 'Start with the report.',
      suggested_actions: [],
      credits_used: 1,
      credits_remaining: 3,
      ai_request_warning: false,
    });
    for (const chat of chats) {
      expect(ownStatements(chat)).toEqual(PHASES);
      // No bearer check of its own: the credit state's user row is the route's user check.
      expect(statementsOf(chat).map((statement) => statement.name)).not.toContain('user_identity');
      expect(statementsOf(chat)).toHaveLength(12);
      expect(commitsOf(chat)).toBe(2);
    }
    const activity = await t.dataSource.query(
      `SELECT action, metadata, request_id FROM activity_logs
       WHERE user_id = $1 AND entity_type IN ('ai_chat', 'credit') AND action <> 'credits_granted' ORDER BY created_at, id`,
      [user.id],
    );
    expect(activity).toEqual(
      chats.flatMap((chat) => [
        {
          action: 'credits_consumed',
          metadata: { amount: 1, operation_ref: 'chat', by_type: { kickstart: 1 } },
          request_id: chat.headers['x-request-id'],
        },
        {
          action: 'ai_chat',
          metadata: { task_id: null, credits_used: 1, streamed: false },
          request_id: chat.headers['x-request-id'],
        },
      ]),
    );
    const entries = await t.dataSource.query(
      `SELECT status, amount, balance_after FROM ai_credit_ledger WHERE user_id = $1 AND operation = 'consume'
       ORDER BY balance_after DESC`,
      [user.id],
    );
    expect(entries).toEqual([
      { status: 'committed', amount: -1, balance_after: 4 },
      { status: 'committed', amount: -1, balance_after: 3 },
    ]);
  });

  it('should grant the day’s credits in the reservation’s transaction on a Pro user’s first call', async () => {
    const { accessToken } = await loginAs(t, { tier: 'pro' });

    const first = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Hi' }).expect(200);
    const second = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Hi' }).expect(200);

    expect(first.body.data.credits_remaining).toBe(second.body.data.credits_remaining + 1);
    expect(commitsOf(first)).toBe(2);
    expect(ownStatements(second)).toEqual(PHASES);
  });

  it('should stream and generate subtasks through the same phases', async () => {
    const { user, accessToken } = await loginAs(t);
    const task = await insertTask(t, user.id);
    const api = as(t, accessToken);

    const streamed = await api.post('/api/v1/ai/chat/stream').send({ message: 'Hi' }).expect(200);
    ai.fake.content = { subtasks: ['Outline', 'Draft'] };
    const subtasks = await api.post('/api/v1/ai/generate-subtasks').send({ task_id: task }).expect(200);

    expect(subtasks.body.data.suggested_subtasks).toEqual([{ title: 'Outline' }, { title: 'Draft' }]);
    expect(ownStatements(streamed)).toEqual(PHASES);
    // The task (the route's user check) and the user's suggestion limit come first.
    const [begin, ...rest] = PHASES;
    expect(ownStatements(subtasks)).toEqual([begin, 'SELECT "TaskEntity"."id"', 'user_limits', ...rest]);
    for (const response of [streamed, subtasks]) expect(commitsOf(response)).toBe(2);
  });

  it('should answer 401 and write nothing once the user is gone', async () => {
    const owner = await loginAs(t);
    const task = await insertTask(t, owner.user.id);
    await t.dataSource.query('DELETE FROM users WHERE id = $1', [owner.user.id]);
    const api = as(t, owner.accessToken);

    const answers = [
      await api.post('/api/v1/ai/chat').send({ message: 'Hi' }),
      await api.post('/api/v1/ai/chat').send({ message: 'Hi', task_id: task }),
      await api.post('/api/v1/ai/chat').send({ message: 'Hi', task_id: randomUUID() }),
      await api.post('/api/v1/ai/chat/stream').send({ message: 'Hi' }),
      await api.post('/api/v1/ai/generate-subtasks').send({ task_id: task }),
    ];

    for (const answer of answers) {
      const error = expectError(answer, 401, 'UNAUTHORIZED');
      expect(error.message).toBe('The user of this access token no longer exists');
    }
    expect(ai.fake.requests).toHaveLength(0);
    await expect(
      t.dataSource.query('SELECT count(*)::int AS n FROM idempotency_keys WHERE user_id = $1', [owner.user.id]),
    ).resolves.toEqual([{ n: 0 }]);
  });
});
