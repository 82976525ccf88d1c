import { randomUUID } from 'node:crypto';
import { FakeCheckout, paymentEvent, postWebhook, startFakeCheckout } from '../support/fake-checkout';
import { loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** Inputs the write-endpoint fuzzer found answering 5xx or never answering; each now a plain 4xx. */
describe('fuzzer findings', () => {
  let t: TestApp;
  let token: string;

  let checkout: FakeCheckout;
  let userId: string;

  beforeAll(async () => {
    checkout = await startFakeCheckout();
    t = await createTestApp(checkout.env());
    const login = await loginAs(t);
    token = login.accessToken;
    userId = login.user.id;
  });

  afterAll(async () => {
    await t.close();
    await checkout.close();
  });

  const send = (method: string, path: string, body: string): Promise<Response> =>
    fetch(`${t.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
      },
      body,
      signal: AbortSignal.timeout(5000),
    });

  it('should answer a deeply nested body with 400 instead of overflowing the stack', async () => {
    const response = await send('POST', '/api/v1/tasks', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000));
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; details: Array<{ field: string }> } };
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details[0].field).toMatch(/^a(\.a){31}$/);
    await expect(send('POST', '/api/v1/tasks', '{"title":"still up"}')).resolves.toMatchObject({ status: 201 });
  });

  it('should percent-encode a non-ASCII id in the Link header of a deprecated alias', async () => {
    const response = await send('PUT', `/api/v1/notes/${encodeURIComponent('😀ü')}`, '{"content":"x"}');
    expect(response.status).toBe(400);
    expect(response.headers.get('link')).toBe('</api/v1/notes/%F0%9F%98%80%C3%BC>; rel="successor-version"');
  });

  it('should fingerprint a URL longer than the stored path: run once, replay, conflict on another URL', async () => {
    const key = randomUUID();
    const post = (pad: string): Promise<Response> =>
      fetch(`${t.baseUrl}/api/v1/tasks?pad=${pad}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: '{"title":"Long URL"}',
      });
    const first = await post('x'.repeat(2000));
    expect(first.status).toBe(201);
    const replay = await post('x'.repeat(2000));
    expect(replay.status).toBe(201);
    expect(replay.headers.get('x-idempotent-replayed')).toBe('true');
    const other = await post(`${'x'.repeat(2000)}y`);
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('should answer a request head over 16 KiB with the error envelope, not a bare 431', async () => {
    const response = await fetch(`${t.baseUrl}/api/v1/tasks/${'😀'.repeat(3000)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(431);
    const body = (await response.json()) as { error: { code: string; message: string; request_id: string } };
    expect(body.error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [],
      request_id: response.headers.get('x-request-id'),
    });
  });

  it('should acknowledge a signed capture whose payment id no ledger entry can hold as invalid_payload, not 500', async () => {
    for (const event of [
      paymentEvent({ paymentId: `pay_${'y'.repeat(300)}`, metadata: { user_id: userId } }),
      { id: `evt_${'x'.repeat(300)}`, type: 'subscription_renewed', data: { user_id: userId } },
    ]) {
      const response = await postWebhook(t, event, checkout.webhookSecret);
      expect([response.status, response.body]).toEqual([
        200,
        { status: 'ok', processed: false, reason: 'invalid_payload' },
      ]);
    }
    const grants = await t.dataSource.query(
      `SELECT 1 FROM ai_credit_ledger WHERE user_id = $1 AND credit_type <> 'kickstart'`,
      [userId],
    );
    expect(grants).toEqual([]);
  });
});
