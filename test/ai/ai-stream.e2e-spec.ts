import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type supertest from 'supertest';
import { clearCredits, ledgerOf } from '../credits/credit-fixtures';
import { useAiTestApp } from '../support/ai-test-app';
import type { FakeOpenAi } from '../support/fake-openai';
import { as, expectError, loginAs } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';
import { insertTask, sseEvents } from './ai-fixtures';

function rawText(res: supertest.Response, done: (error: Error | null, body: string) => void): void {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
}

describe('POST /api/v1/ai/chat/stream', () => {
  const ai = useAiTestApp({ RATE_LIMIT_AI: '1000' });
  let t: TestApp;
  let fake: FakeOpenAi;
  beforeAll(() => ({ t, fake } = ai));

  function stream(token: string, body: object, key = randomUUID(), app = t): supertest.Test {
    return as(app, token)
      .post('/api/v1/ai/chat/stream')
      .set('Idempotency-Key', key)
      .send(body)
      .buffer(true)
      .parse(rawText);
  }

  it('should stream deltas, a done event with the charge and the [DONE] terminator', async () => {
    const { accessToken, user } = await loginAs(t);
    const res = await stream(accessToken, { message: 'Plan my day' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-accel-buffering']).toBe('no');
    expect(res.body).toBe(
      'data: {"type":"delta","text":"Hello "}\n\n' +
        'data: {"type":"delta","text":"from "}\n\n' +
        'data: {"type":"delta","text":"the stream"}\n\n' +
        'data: {"type":"done","response":"Hello from the stream","suggested_actions":[],"credits_used":1,"credits_remaining":4,"ai_request_warning":false}\n\n' +
        'data: [DONE]\n\n',
    );
    expect(fake.requests[0].body).toMatchObject({ stream: true, temperature: 0.3 });
    expect(fake.requests[0].body.response_format).toBeUndefined();
    const [activity] = await t.dataSource.query(
      `SELECT metadata FROM activity_logs WHERE user_id = $1 AND action = 'ai_chat'`,
      [user.id],
    );
    expect(activity.metadata).toEqual({ task_id: null, credits_used: 1, streamed: true });
  });

  it.each(['error', 'unauthorized', 'rate_limited', 'malformed', 'cut', 'stream_error'] as const)(
    'should end with an error event and charge nothing when the provider is %s',
    async (mode) => {
      const { accessToken, user } = await loginAs(t);
      fake.mode = mode;
      const key = randomUUID();
      const res = await stream(accessToken, { message: 'Hi' }, key);
      expect(res.status).toBe(200);
      const events = sseEvents(res.body as unknown as string);
      expect(events.at(-2)).toEqual({ type: 'error', code: 'AI_SERVICE_UNAVAILABLE', message: expect.any(String) });
      expect(events.at(-1)).toBe('[DONE]');
      expect(events.filter((e) => (e as { type?: string }).type === 'done')).toEqual([]);
      expect((await ledgerOf(t, user.id)).map((e) => [e.operation, e.consumed])).toEqual([['grant', 0]]);
      // The failed stream is not stored: the key runs again.
      fake.mode = 'ok';
      const retry = await stream(accessToken, { message: 'Hi' }, key);
      expect(retry.headers['x-idempotent-replayed']).toBeUndefined();
      expect(sseEvents(retry.body as unknown as string).at(-2)).toMatchObject({ type: 'done', credits_used: 1 });
    },
  );

  describe('a provider that stops answering', () => {
    // Its own app with the shortest timeout: the fake never sends what is awaited, so load cannot
    // change the outcome.
    const slow = useAiTestApp({ AI_TIMEOUT_SECONDS: '1', RATE_LIMIT_AI: '1000' });

    it.each([
      ['never answers', 'timeout', []],
      ['stalls after the first chunk', 'stall', [{ type: 'delta', text: 'Hello ' }]],
    ] as const)(
      'should end with an error event after AI_TIMEOUT_SECONDS and charge nothing when it %s',
      async (_case, mode, deltas) => {
        const { accessToken, user } = await loginAs(slow.t);
        slow.fake.mode = mode;
        const key = randomUUID();
        const expected = [
          ...deltas,
          { type: 'error', code: 'AI_SERVICE_UNAVAILABLE', message: expect.any(String) },
          '[DONE]',
        ];
        const res = await stream(accessToken, { message: 'Hi' }, key, slow.t);
        expect(res.status).toBe(200);
        expect(sseEvents(res.body as unknown as string)).toEqual(expected);
        expect((await ledgerOf(slow.t, user.id)).map((e) => [e.operation, e.consumed])).toEqual([['grant', 0]]);
        // The failed stream is not stored: the key calls the provider again.
        const retry = await stream(accessToken, { message: 'Hi' }, key, slow.t);
        expect(retry.headers['x-idempotent-replayed']).toBeUndefined();
        expect(sseEvents(retry.body as unknown as string)).toEqual(expected);
        expect(slow.fake.requests).toHaveLength(2);
      },
    );
  });

  it('should treat a stream without any text as a failure', async () => {
    const { accessToken } = await loginAs(t);
    fake.chunks = [];
    const res = await stream(accessToken, { message: 'Hi' });
    expect(sseEvents(res.body as unknown as string)).toEqual([
      { type: 'error', code: 'AI_SERVICE_UNAVAILABLE', message: expect.any(String) },
      '[DONE]',
    ]);
  });

  it('should answer checks before the stream as JSON errors', async () => {
    const { accessToken, user } = await loginAs(t);
    expectError(
      await as(t, accessToken).post('/api/v1/ai/chat/stream').send({ message: 'x', task_id: randomUUID() }),
      404,
      'NOT_FOUND',
    );
    expectError(await as(t, accessToken).post('/api/v1/ai/chat/stream').send({}), 400, 'VALIDATION_ERROR');
    await clearCredits(t, user.id);
    const poor = await as(t, accessToken).post('/api/v1/ai/chat/stream').send({ message: 'x' });
    expectError(poor, 402, 'INSUFFICIENT_CREDITS');
    expect(poor.headers['content-type']).toContain('application/json');
    expect(fake.requests).toHaveLength(0);
  });

  it('should replay a finished stream as one delta, the stored done and [DONE] without charging', async () => {
    const { accessToken } = await loginAs(t);
    const key = randomUUID();
    const first = await stream(accessToken, { message: 'Once' }, key);
    const replay = await stream(accessToken, { message: 'Once' }, key);
    expect(replay.status).toBe(200);
    expect(replay.headers['x-idempotent-replayed']).toBe('true');
    expect(replay.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const done = sseEvents(first.body as unknown as string).at(-2);
    expect(sseEvents(replay.body as unknown as string)).toEqual([
      { type: 'delta', text: 'Hello from the stream' },
      done,
      '[DONE]',
    ]);
    expect(fake.requests).toHaveLength(1);
    expect((await as(t, accessToken).get('/api/v1/credits/balance')).body.data.total).toBe(4);
  });

  it('should count a task-focused stream in the per-task counter', async () => {
    const { accessToken, user } = await loginAs(t);
    const task = await insertTask(t, user.id);
    for (let i = 0; i < 4; i++) await stream(accessToken, { message: 'x', task_id: task });
    await t.dataSource.query(
      `INSERT INTO ai_credit_ledger (user_id, credit_type, operation, amount, balance_after, operation_ref, description)
       VALUES ($1, 'purchased', 'grant', 10, 10, $2, 'test')`,
      [user.id, `payment:${randomUUID()}`],
    );
    const fifth = await stream(accessToken, { message: 'x', task_id: task });
    expect(sseEvents(fifth.body as unknown as string).at(-2)).toMatchObject({ type: 'done', ai_request_warning: true });
  });

  it('should charge a client that leaves after the first delta and store the partial done', async () => {
    const { accessToken, user } = await loginAs(t);
    fake.delayMs = 300;
    const key = randomUUID();
    const url = new URL(`${t.baseUrl}/api/v1/ai/chat/stream`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no delta')), 5000);
      const req = httpRequest(
        url,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${accessToken}`,
            'Idempotency-Key': key,
            'Content-Type': 'application/json',
          },
        },
        (res) => {
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            if (chunk.includes('"delta"')) {
              req.destroy();
              clearTimeout(timer);
              resolve();
            }
          });
        },
      );
      req.on('error', () => undefined);
      req.end(JSON.stringify({ message: 'Leave early' }));
    });
    let consumes: unknown[] = [];
    await waitFor(async () => {
      consumes = (await ledgerOf(t, user.id)).filter((e) => e.operation === 'consume' && e.status === 'committed');
      return consumes.length > 0;
    });
    expect(consumes).toHaveLength(1);
    fake.delayMs = 0;
    let replay: supertest.Response | undefined;
    await waitFor(async () => {
      replay = await stream(accessToken, { message: 'Leave early' }, key);
      return replay.status !== 409;
    });
    expect(replay?.headers['x-idempotent-replayed']).toBe('true');
    expect(sseEvents(replay?.body as unknown as string)).toEqual([
      { type: 'delta', text: 'Hello ' },
      {
        type: 'done',
        response: 'Hello ',
        suggested_actions: [],
        credits_used: 1,
        credits_remaining: 4,
        ai_request_warning: false,
      },
      '[DONE]',
    ]);
  });
});
