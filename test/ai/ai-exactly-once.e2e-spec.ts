import { createHash, randomUUID } from 'node:crypto';
import { CreditReservationsService } from '@app/credits/credit-reservations.service';
import { clearCredits, grantLot, ledgerOf } from '../credits/credit-fixtures';
import { useAiTestApp } from '../support/ai-test-app';
import { commitsOf } from '../support/commits';
import type { FakeOpenAi } from '../support/fake-openai';
import { expectError, loginAs } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/**
 * docs/api.md §1.10 "Exactly once" for a request that calls an outside provider midway: the key's
 * claim and the credit reservation commit first, the provider is called with no transaction open,
 * then the charge and the stored outcome commit together. A claim whose process died is taken
 * over after its lease without charging twice.
 */
describe('exactly once around an outside provider call', () => {
  const ai = useAiTestApp({ RATE_LIMIT_AI: '1000', RATE_LIMIT_GENERAL: '1000' });
  let t: TestApp;
  let fake: FakeOpenAi;
  beforeAll(() => ({ t, fake } = ai));

  const body = { message: 'What next?' };
  const chat = (token: string, key: string): Promise<import('supertest').Response> =>
    t.http.post('/api/v1/ai/chat').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', key).send(body);

  async function userWithCredits(amount: number): Promise<{ token: string; userId: string }> {
    const { accessToken, user } = await loginAs(t);
    await clearCredits(t, user.id);
    if (amount > 0) await grantLot(t, user.id, 'purchased', amount);
    return { token: accessToken, userId: user.id };
  }

  /** What a process that died during the provider call leaves: its claim and reservation, committed. */
  async function deadClaim(userId: string, key: string, leaseEnd: string): Promise<string> {
    const id = randomUUID();
    await t.dataSource.query(
      `INSERT INTO idempotency_keys (id, user_id, key, request_method, request_path, request_hash, state, locked_until, created_at, expires_at)
       VALUES ($1, $2, $3, 'POST', '/api/v1/ai/chat', $4, 'in_progress', now() + $5::interval, now(), now() + interval '1 day')`,
      [id, userId, key, createHash('sha256').update(JSON.stringify(body)).digest('hex'), leaseEnd],
    );
    await t.app.get(CreditReservationsService).reserve({
      userId,
      amount: 1,
      operationRef: 'chat',
      description: 'AI chat message',
      id,
    });
    return id;
  }

  it('should commit an AI chat in two transactions: claim with reservation, then charge with outcome', async () => {
    const { token, userId } = await userWithCredits(5);
    fake.content = { response: 'Do the report.', suggested_actions: [] };
    const key = randomUUID();
    let answer: import('supertest').Response | undefined;
    const commits = await commitsOf(t, async () => {
      answer = await chat(token, key);
    });
    expect(answer?.status).toBe(200);
    expect(answer?.body.data).toMatchObject({ response: 'Do the report.', credits_used: 1, credits_remaining: 4 });
    expect(commits).toBe(2);

    const [stored] = await t.dataSource.query(
      'SELECT id, state, locked_until FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    );
    expect(stored).toMatchObject({ state: 'completed', locked_until: null });
    // The reservation is the claim's: one committed consume entry under the key's id.
    const consumed = (await ledgerOf(t, userId)).filter((entry) => entry.operation === 'consume');
    expect(consumed).toEqual([expect.objectContaining({ status: 'committed', amount: -1, reservation_id: stored.id })]);

    const replay = await chat(token, key);
    expect(replay.status).toBe(200);
    expect(replay.text).toBe(answer?.text);
    expect(replay.headers['x-idempotent-replayed']).toBe('true');
    expect(fake.requests).toHaveLength(1);
  });

  it('should release the reservation and the key when the provider fails, so the retry runs', async () => {
    const { token, userId } = await userWithCredits(5);
    fake.mode = 'error';
    const key = randomUUID();
    expectError(await chat(token, key), 503, 'AI_SERVICE_UNAVAILABLE');
    await expect(t.dataSource.query('SELECT id FROM idempotency_keys WHERE user_id = $1', [userId])).resolves.toEqual(
      [],
    );
    expect((await ledgerOf(t, userId)).filter((entry) => entry.operation === 'consume')).toEqual([]);

    fake.mode = 'ok';
    fake.content = { response: 'Now it works.', suggested_actions: [] };
    const retried = await chat(token, key);
    expect(retried.status).toBe(200);
    expect(retried.body.data).toMatchObject({ credits_used: 1, credits_remaining: 4 });
  });

  it('should answer 409 IDEMPOTENCY_IN_PROGRESS while a claim still holds its lease, calling nothing', async () => {
    const { token, userId } = await userWithCredits(5);
    const key = randomUUID();
    await deadClaim(userId, key, '1 minute');
    const busy = await chat(token, key);
    expectError(busy, 409, 'IDEMPOTENCY_IN_PROGRESS');
    expect(busy.headers['retry-after']).toBe('1');
    expect(fake.requests).toHaveLength(0);
  });

  it('should take over a claim whose lease expired, reusing its reservation and charging once', async () => {
    const { token, userId } = await userWithCredits(5);
    const key = randomUUID();
    const claimId = await deadClaim(userId, key, '-1 second');
    fake.content = { response: 'Taken over.', suggested_actions: [] };

    const taken = await chat(token, key);
    expect(taken.status).toBe(200);
    expect(taken.body.data).toMatchObject({ response: 'Taken over.', credits_used: 1, credits_remaining: 4 });
    expect(fake.requests).toHaveLength(1);
    const consumed = (await ledgerOf(t, userId)).filter((entry) => entry.operation === 'consume');
    expect(consumed).toEqual([expect.objectContaining({ status: 'committed', amount: -1, reservation_id: claimId })]);
    await expect(
      t.dataSource.query('SELECT id, state FROM idempotency_keys WHERE user_id = $1', [userId]),
    ).resolves.toEqual([{ id: claimId, state: 'completed' }]);

    const replay = await chat(token, key);
    expect(replay.text).toBe(taken.text);
    expect(fake.requests).toHaveLength(1);
  });

  it('should let a request that stalled past its lease lose the claim to the takeover and charge nothing', async () => {
    const { token, userId } = await userWithCredits(5);
    const key = randomUUID();
    fake.content = { response: 'Slow answer.', suggested_actions: [] };
    fake.hold();
    // A supertest request is sent once something waits for it.
    const stalled = chat(token, key).then((response) => response);
    // The claim commits before the provider is called: once the fake holds the call, it is in place.
    await waitFor(() => fake.requests.length === 1);
    // The lease runs out while the provider call is still under way.
    await t.dataSource.query(`UPDATE idempotency_keys SET locked_until = now() - interval '1 second' WHERE key = $1`, [
      key,
    ]);
    const taking = chat(token, key).then((response) => response);
    await waitFor(() => fake.requests.length === 2);
    fake.release(1);
    const takeover = await taking;
    fake.release(0);
    const original = await stalled;

    expect(takeover.status).toBe(200);
    expect(takeover.body.data).toMatchObject({ credits_used: 1, credits_remaining: 4 });
    expectError(original, 409, 'IDEMPOTENCY_IN_PROGRESS');
    const consumed = (await ledgerOf(t, userId)).filter((entry) => entry.operation === 'consume');
    expect(consumed).toEqual([expect.objectContaining({ status: 'committed', amount: -1 })]);
    const replay = await chat(token, key);
    expect(replay.text).toBe(takeover.text);
  });

  it('should store a 402 without committing anything else and replay it', async () => {
    const { token, userId } = await userWithCredits(0);
    const key = randomUUID();
    let short: import('supertest').Response | undefined;
    const commits = await commitsOf(t, async () => {
      short = await chat(token, key);
    });
    expect(expectError(short!, 402, 'INSUFFICIENT_CREDITS')).toMatchObject({
      credits_required: 1,
      credits_available: 0,
    });
    expect(commits).toBe(1);
    const again = await chat(token, key);
    expect(again.text).toBe(short?.text);
    expect(again.headers['x-idempotent-replayed']).toBe('true');
    expect(fake.requests).toHaveLength(0);
    expect((await ledgerOf(t, userId)).filter((entry) => entry.operation === 'consume')).toEqual([]);
  });
});
