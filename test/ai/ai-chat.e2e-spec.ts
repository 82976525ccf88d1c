import { randomUUID } from 'node:crypto';
import { clearCredits, grantLot, ledgerOf } from '../credits/credit-fixtures';
import { useAiTestApp } from '../support/ai-test-app';
import type { FakeOpenAi } from '../support/fake-openai';
import { as, expectError, loginAs } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { insertTask } from './ai-fixtures';

describe('POST /api/v1/ai/chat', () => {
  const ai = useAiTestApp({
    OPENAI_MODEL: 'fake-model',
    RATE_LIMIT_AI: '1000',
    RATE_LIMIT_GENERAL: '1000',
  });
  let t: TestApp;
  let fake: FakeOpenAi;
  beforeAll(() => ({ t, fake } = ai));

  async function balanceOf(token: string): Promise<number> {
    return (await as(t, token).get('/api/v1/credits/balance')).body.data.total;
  }

  it('should answer with filtered suggestions, charge 1 credit and record the call', async () => {
    const { accessToken, user } = await loginAs(t);
    const other = await loginAs(t);
    const mine = await insertTask(t, user.id, { title: 'Report' });
    const theirs = await insertTask(t, other.user.id);
    fake.content = {
      response: 'Finish the report first.',
      suggested_actions: [
        {
          type: 'complete_task',
          task_id: mine.toUpperCase(),
          description: 'Done already?',
          data: { task_id: mine, version: 1 },
        },
        { type: 'complete_task', task_id: theirs, description: 'not yours', data: {} },
        { type: 'delete_everything', task_id: mine, description: 'unknown', data: {} },
        { type: 'create_task', task_id: mine, description: 'New one', data: { title: 'Call Bob' } },
        { type: 'update_task', task_id: mine, description: 'bad data', data: 'nope' },
        'garbage',
      ],
    };
    const res = await as(t, accessToken)
      .post('/api/v1/ai/chat')
      .send({
        message: 'What next?',
        context: { include_tasks: true, task_limit: 5 },
        history: [{ role: 'user', content: 'Hi' }],
      });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        response: 'Finish the report first.',
        suggested_actions: [
          { type: 'complete_task', task_id: mine, description: 'Done already?', data: { version: 1 } },
          { type: 'create_task', task_id: null, description: 'New one', data: { title: 'Call Bob' } },
          { type: 'update_task', task_id: mine, description: 'bad data', data: {} },
        ],
        credits_used: 1,
        credits_remaining: 4,
        ai_request_warning: false,
      },
    });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request.authorization).toBe('Bearer sk-test');
    expect(request.body).toMatchObject({
      model: 'fake-model',
      temperature: 0.3,
      response_format: { type: 'json_object' },
    });
    expect(request.body.messages.at(-1)).toEqual({ role: 'user', content: 'What next?' });
    expect(request.body.messages.at(-2)).toEqual({ role: 'user', content: 'Hi' });
    expect(JSON.stringify(request.body.messages)).toContain(mine);
    const history = await as(t, accessToken).get('/api/v1/credits/history?operation=consume');
    expect(history.body.data).toEqual([
      expect.objectContaining({
        type: 'deduct',
        category: 'ai',
        amount: -1,
        operation_ref: 'chat',
        credit_type: 'kickstart',
        balance_after: 4,
      }),
    ]);
    const activity = await t.dataSource.query(
      `SELECT entity_type, action, source, metadata FROM activity_logs WHERE user_id = $1 AND entity_type IN ('ai_chat', 'credit') ORDER BY created_at, action`,
      [user.id],
    );
    expect(activity).toEqual(
      expect.arrayContaining([
        {
          entity_type: 'ai_chat',
          action: 'ai_chat',
          source: 'ai',
          metadata: { task_id: null, credits_used: 1, streamed: false },
        },
        {
          entity_type: 'credit',
          action: 'credits_consumed',
          source: 'ai',
          metadata: { amount: 1, operation_ref: 'chat', by_type: { kickstart: 1 } },
        },
      ]),
    );
  });

  it('should expose AI requests and consumed credits as metrics', async () => {
    const series = [
      'ai_requests_total{operation="chat",outcome="success"}',
      'ai_requests_total{operation="chat",outcome="failure"}',
      'ai_credits_consumed_total{operation="chat"}',
      'credits_granted_total{credit_type="kickstart"}',
    ];
    const read = async (): Promise<number[]> => {
      const lines = (await t.http.get('/metrics')).text.split('\n');
      return series.map((name) =>
        Number(lines.find((line) => line.startsWith(`${name} `))?.slice(name.length + 1) ?? 0),
      );
    };
    const before = await read();
    const { accessToken } = await loginAs(t);
    await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Hello' }).expect(200);
    fake.mode = 'error';
    await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Hello' }).expect(503);
    const after = await read();
    // One success, one failure, one credit consumed, the new user's 5 kickstart credits granted.
    expect(after.map((value, i) => value - before[i])).toEqual([1, 1, 1, 5]);
  });

  it('should use a plain-text answer as the response and still charge it', async () => {
    const { accessToken } = await loginAs(t);
    fake.content = 'Just do the report.';
    const res = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Hello' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      response: 'Just do the report.',
      suggested_actions: [],
      credits_used: 1,
      credits_remaining: 4,
    });
  });

  it.each(['error', 'unauthorized', 'rate_limited', 'malformed', 'empty'] as const)(
    'should answer 503 and charge nothing when the provider is %s',
    async (mode) => {
      const { accessToken, user } = await loginAs(t);
      fake.mode = mode;
      const key = randomUUID();
      const res = await as(t, accessToken)
        .post('/api/v1/ai/chat')
        .set('Idempotency-Key', key)
        .send({ message: 'Hello' });
      expectError(res, 503, 'AI_SERVICE_UNAVAILABLE');
      // One attempt per call: the SDK's own retries (of 429 and 5xx) are off.
      expect(fake.requests).toHaveLength(1);
      expect(await balanceOf(accessToken)).toBe(5);
      expect((await ledgerOf(t, user.id)).map((e) => [e.operation, e.consumed])).toEqual([['grant', 0]]);
      // The key was released: a retry with it runs again.
      fake.mode = 'ok';
      const retry = await as(t, accessToken)
        .post('/api/v1/ai/chat')
        .set('Idempotency-Key', key)
        .send({ message: 'Hello' });
      expect(retry.status).toBe(200);
      expect(retry.headers['x-idempotent-replayed']).toBeUndefined();
    },
  );

  describe('a provider that never answers', () => {
    // Its own app with the shortest timeout: the fake never answers, so load cannot change the outcome.
    const slow = useAiTestApp({ AI_TIMEOUT_SECONDS: '1', RATE_LIMIT_AI: '1000', RATE_LIMIT_GENERAL: '1000' });

    it('should answer 503 after AI_TIMEOUT_SECONDS, charge nothing and release the key', async () => {
      const { accessToken, user } = await loginAs(slow.t);
      slow.fake.mode = 'timeout';
      const key = randomUUID();
      const send = (): Promise<import('supertest').Response> =>
        as(slow.t, accessToken).post('/api/v1/ai/chat').set('Idempotency-Key', key).send({ message: 'Hello' });
      expectError(await send(), 503, 'AI_SERVICE_UNAVAILABLE');
      expect(slow.fake.requests).toHaveLength(1);
      expect((await ledgerOf(slow.t, user.id)).map((e) => [e.operation, e.consumed])).toEqual([['grant', 0]]);
      // The key was released: the retry calls the provider again instead of replaying the 503.
      const retry = await send();
      expectError(retry, 503, 'AI_SERVICE_UNAVAILABLE');
      expect(retry.headers['x-idempotent-replayed']).toBeUndefined();
      expect(slow.fake.requests).toHaveLength(2);
    });
  });

  it('should answer 402 with the shortfall and not call the provider', async () => {
    const { accessToken, user } = await loginAs(t);
    await clearCredits(t, user.id);
    const error = expectError(
      await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Hello' }),
      402,
      'INSUFFICIENT_CREDITS',
    );
    expect(error).toMatchObject({ credits_required: 1, credits_available: 0 });
    expect(fake.requests).toHaveLength(0);
  });

  it('should let exactly 5 of 20 parallel chats through with 5 credits', async () => {
    const { accessToken, user } = await loginAs(t);
    fake.delayMs = 20;
    const results = await Promise.all(
      Array.from({ length: 20 }, () => as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Go' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(5);
    expect(results.filter((r) => r.status === 402).every((r) => r.body.error.code === 'INSUFFICIENT_CREDITS')).toBe(
      true,
    );
    expect(results.filter((r) => r.status === 402)).toHaveLength(15);
    const entries = await ledgerOf(t, user.id);
    expect(entries.filter((e) => e.operation === 'consume' && e.status === 'committed')).toHaveLength(5);
    expect(entries[0]).toMatchObject({ operation: 'grant', consumed: 5 });
    expect(await balanceOf(accessToken)).toBe(0);
  });

  it('should replay a finished chat without charging again', async () => {
    const { accessToken } = await loginAs(t);
    const key = randomUUID();
    const first = await as(t, accessToken)
      .post('/api/v1/ai/chat')
      .set('Idempotency-Key', key)
      .send({ message: 'Once' });
    const again = await as(t, accessToken)
      .post('/api/v1/ai/chat')
      .set('Idempotency-Key', key)
      .send({ message: 'Once' });
    expect(again.status).toBe(200);
    expect(again.headers['x-idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(fake.requests).toHaveLength(1);
    expect(await balanceOf(accessToken)).toBe(4);
  });

  describe('task focus and the per-task counter', () => {
    it('should send the focused task and answer 404/403 for unknown or foreign tasks', async () => {
      const { accessToken, user } = await loginAs(t);
      const other = await loginAs(t);
      const archived = await insertTask(t, user.id, { title: 'Archived thing', archived: true });
      const res = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'Help', task_id: archived });
      expect(res.status).toBe(200);
      expect(JSON.stringify(fake.requests[0].body.messages)).toContain('Archived thing');
      expectError(
        await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'x', task_id: randomUUID() }),
        404,
        'NOT_FOUND',
      );
      const foreign = await insertTask(t, other.user.id);
      expectError(
        await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'x', task_id: foreign }),
        403,
        'FORBIDDEN',
      );
      expectError(
        await as(t, accessToken).post('/api/v1/ai/chat').set('X-Task-Id', foreign).send({ message: 'x' }),
        403,
        'FORBIDDEN',
      );
      const badHeader = expectError(
        await as(t, accessToken).post('/api/v1/ai/chat').set('X-Task-Id', 'nope').send({ message: 'x' }),
        400,
        'VALIDATION_ERROR',
      );
      expect(badHeader.details).toEqual([{ field: 'X-Task-Id', message: 'must be a UUID' }]);
      // The body's task_id wins over the header.
      const mine = await insertTask(t, user.id);
      expect(
        (
          await as(t, accessToken)
            .post('/api/v1/ai/chat')
            .set('X-Task-Id', foreign)
            .send({ message: 'x', task_id: mine })
        ).status,
      ).toBe(200);
    });

    it('should warn from the 5th request, block the 11th with 429 and reset with a new token', async () => {
      const { accessToken, user } = await loginAs(t);
      await grantLot(t, user.id, 'purchased', 30);
      const task = await insertTask(t, user.id);
      const warnings: boolean[] = [];
      for (let i = 0; i < 10; i++) {
        const res = await as(t, accessToken)
          .post('/api/v1/ai/chat')
          .set('X-Task-Id', task)
          .send({ message: `n${i}` });
        expect(res.status).toBe(200);
        warnings.push(res.body.data.ai_request_warning);
      }
      expect(warnings).toEqual([false, false, false, false, true, true, true, true, true, true]);
      const blocked = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'more', task_id: task });
      const error = expectError(blocked, 429, 'AI_TASK_LIMIT_REACHED');
      expect(error.retry_after).toBeUndefined();
      expect(blocked.headers['retry-after']).toBeUndefined();
      expect(await balanceOf(accessToken)).toBe(25);
      // Other tasks and task-less chats are not affected.
      expect(
        (await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'free' })).body.data.ai_request_warning,
      ).toBe(false);
      const fresh = await loginAs(t, { email: user.email });
      expect(
        (await as(t, fresh.accessToken).post('/api/v1/ai/chat').send({ message: 'again', task_id: task })).status,
      ).toBe(200);
    });

    it('should give the slot back when a request is not charged', async () => {
      const { accessToken, user } = await loginAs(t);
      await grantLot(t, user.id, 'purchased', 30);
      const task = await insertTask(t, user.id);
      fake.mode = 'error';
      for (let i = 0; i < 12; i++) {
        expectError(
          await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'x', task_id: task }),
          503,
          'AI_SERVICE_UNAVAILABLE',
        );
      }
      fake.mode = 'ok';
      const res = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'x', task_id: task });
      expect(res.body.data.ai_request_warning).toBe(false);
    });

    it('should never pass 10 under concurrency', async () => {
      const { accessToken, user } = await loginAs(t);
      await grantLot(t, user.id, 'purchased', 30);
      const task = await insertTask(t, user.id);
      fake.delayMs = 20;
      const results = await Promise.all(
        Array.from({ length: 15 }, () =>
          as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'x', task_id: task }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      expect(results.filter((r) => r.status === 429)).toHaveLength(5);
      const charged = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume');
      expect(charged.map((e) => [e.status, e.amount])).toEqual(Array(10).fill(['committed', -1]));
      expect(await balanceOf(accessToken)).toBe(25);
    });
  });

  describe('validation', () => {
    it('should name the offending fields', async () => {
      const { accessToken } = await loginAs(t);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{}, 'message'],
        [{ message: '' }, 'message'],
        [{ message: 'x'.repeat(2001) }, 'message'],
        [{ message: 'x', task_id: 'nope' }, 'task_id'],
        [{ message: 'x', context: { task_limit: 51 } }, 'context.task_limit'],
        [{ message: 'x', context: { include_tasks: 'yes' } }, 'context.include_tasks'],
        [{ message: 'x', history: Array(21).fill({ role: 'user', content: 'a' }) }, 'history'],
        [{ message: 'x', history: [{ role: 'system', content: 'a' }] }, 'history.0.role'],
        [{ message: 'x', history: [{ role: 'user', content: '' }] }, 'history.0.content'],
      ];
      for (const [body, field] of cases) {
        const error = expectError(await as(t, accessToken).post('/api/v1/ai/chat').send(body), 400, 'VALIDATION_ERROR');
        expect((error.details as Array<{ field: string }>).map((d) => d.field)).toContain(field);
      }
      expect(fake.requests).toHaveLength(0);
    });

    it('should count in the ai rate-limit bucket and require an idempotency key', async () => {
      const { accessToken } = await loginAs(t);
      const res = await as(t, accessToken).post('/api/v1/ai/chat').send({ message: 'x' });
      expect(res.headers['x-ratelimit-limit']).toBe('1000');
      const missing = await t.http
        .post('/api/v1/ai/chat')
        .set('Authorization', `Bearer ${accessToken}`)
        .send({ message: 'x' });
      expect(expectError(missing, 400, 'VALIDATION_ERROR').details).toEqual([
        { field: 'Idempotency-Key', message: expect.any(String) },
      ]);
    });
  });
});
