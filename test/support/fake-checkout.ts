import { createHmac, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type supertest from 'supertest';
import type { TestApp } from './test-app';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
}

/**
 * What `POST /payments` answers for a renewal request (default: approve). `hold`: the payment is
 * approved and charged, but the answer is held back until `release()` (a client timing out
 * before then never sees it; a repeat of the key is answered with that payment).
 */
export type PaymentBehaviour =
  'approve' | 'decline' | 'error' | 'pending' | 'hold' | ((request: RecordedRequest) => FakeAnswer);

export interface HostedPaymentOptions {
  outcome?: 'captured' | 'declined';
  /** The events' `created_on` (default: now). */
  at?: Date;
}

export interface HostedPaymentResult {
  paymentId: string;
  sourceId: string;
  /** The app's answer to each event sent, in order. */
  answers: Array<{ type: string; status: number; body: unknown }>;
}

/** A payment the fake created (a charge of the card); replays of an idempotency key are not charges. */
export interface FakeCharge {
  idempotencyKey: string;
  paymentId: string;
  approved: boolean;
}

export interface FakeCheckout {
  /** `CHECKOUT_API_URL` of this server. */
  url: string;
  secretKey: string;
  webhookSecret: string;
  hostedRequests: RecordedRequest[];
  paymentRequests: RecordedRequest[];
  charges: FakeCharge[];
  lookups: string[];
  /** Next answers of `POST /hosted-payments` (default: 201 with id and redirect link). */
  hostedAnswer: FakeAnswer | null;
  /** Awaited before `POST /hosted-payments` is answered, e.g. to look at the database during the call. */
  onHosted: (() => Promise<void>) | null;
  paymentBehaviour: PaymentBehaviour;
  /** `source.id` answered by `GET /payments/{id}`. */
  paymentSources: Map<string, string>;
  /** Answers every held `POST /payments` (behaviour `hold`) whose client is still waiting. */
  release(): void;
  /** Where the fake posts its webhook events: the app's `/api/v1/webhooks/checkout` (set once it listens). */
  webhookUrl: string | null;
  /**
   * The customer pays on hosted page `hostedId` (the `id` answered by `POST /hosted-payments`). As
   * Checkout.com does, the fake then signs and posts its events to `webhookUrl`, built from the
   * session it stored: `payment_approved` and `payment_captured`, or `payment_declined`.
   */
  payHostedSession(hostedId: string, options?: HostedPaymentOptions): Promise<HostedPaymentResult>;
  env(): Record<string, string>;
  close(): Promise<void>;
}

/**
 * A local stand-in for Checkout.com (docs/integrations.md §4, "Tests"): hosted payment sessions,
 * merchant-initiated payments honouring `Cko-Idempotency-Key`, and payment lookups; every
 * request is recorded.
 */
export async function startFakeCheckout(): Promise<FakeCheckout> {
  const fake: Omit<FakeCheckout, 'url' | 'env' | 'close' | 'release' | 'payHostedSession'> = {
    secretKey: 'sk_sbox_test_fake',
    webhookSecret: `whsec_${randomUUID()}`,
    hostedRequests: [],
    paymentRequests: [],
    charges: [],
    lookups: [],
    hostedAnswer: null,
    onHosted: null,
    paymentBehaviour: 'approve',
    paymentSources: new Map(),
    webhookUrl: null,
  };
  const answered = new Map<string, FakeAnswer>();
  const held: Array<() => void> = [];
  const hostedSessions = new Map<string, Record<string, unknown>>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
      const during = recorded.path === '/hosted-payments' ? fake.onHosted : null;
      const { answer, hold } = route(recorded);
      const send = (): void => {
        if (response.destroyed) return;
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      };
      void (during ? during() : Promise.resolve()).then(() => {
        if (hold) held.push(send);
        else send();
      });
    });
  });

  function route(request: RecordedRequest): { answer: FakeAnswer; hold: boolean } {
    const hold = request.method === 'POST' && request.path === '/payments' && fake.paymentBehaviour === 'hold';
    return { answer: answerFor(request), hold };
  }

  function answerFor(request: RecordedRequest): FakeAnswer {
    if (request.method === 'POST' && request.path === '/hosted-payments') {
      fake.hostedRequests.push(request);
      const id = `hpp_${randomUUID().replace(/-/g, '')}`;
      hostedSessions.set(id, request.body);
      return (
        fake.hostedAnswer ?? { status: 201, body: { id, _links: { redirect: { href: `https://pay.example/${id}` } } } }
      );
    }
    if (request.method === 'POST' && request.path === '/payments') {
      fake.paymentRequests.push(request);
      const key = String(request.headers['cko-idempotency-key'] ?? '');
      const replay = answered.get(key);
      if (replay) return replay;
      const answer = paymentAnswer(request);
      if (answer.status === 201) {
        const body = answer.body as { id: string; approved: boolean };
        fake.charges.push({ idempotencyKey: key, paymentId: body.id, approved: body.approved });
      }
      // Checkout.com replays a created payment for a repeated key; scripted answers are not kept.
      if (answer.status === 201 && key && typeof fake.paymentBehaviour !== 'function') answered.set(key, answer);
      return answer;
    }
    const lookup = /^\/payments\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && lookup) {
      const id = decodeURIComponent(lookup[1]);
      fake.lookups.push(id);
      const source = fake.paymentSources.get(id);
      return source
        ? { status: 200, body: { id, status: 'Captured', source: { id: source, type: 'card' } } }
        : { status: 404 };
    }
    return { status: 404 };
  }

  function paymentAnswer(request: RecordedRequest): FakeAnswer {
    const behaviour = fake.paymentBehaviour;
    if (typeof behaviour === 'function') return behaviour(request);
    const id = `pay_${randomUUID().replace(/-/g, '')}`;
    const source = { id: (request.body.source as { id: string }).id, type: 'card' };
    switch (behaviour) {
      case 'approve':
      case 'hold':
        return {
          status: 201,
          body: {
            id,
            approved: true,
            status: 'Captured',
            response_code: '10000',
            response_summary: 'Approved',
            processed_on: new Date().toISOString(),
            source,
          },
        };
      case 'decline':
        return {
          status: 201,
          body: {
            id,
            approved: false,
            status: 'Declined',
            response_code: '20051',
            response_summary: 'Insufficient Funds',
            source,
          },
        };
      case 'pending':
        return { status: 202, body: { id, status: 'Pending' } };
      case 'error':
        return { status: 502, body: { error_type: 'processing_error' } };
    }
  }

  async function payHostedSession(hostedId: string, options: HostedPaymentOptions = {}): Promise<HostedPaymentResult> {
    const session = hostedSessions.get(hostedId);
    if (!session) throw new Error(`no hosted payment session ${hostedId}`);
    if (!fake.webhookUrl) throw new Error('webhookUrl is not set');
    const paymentId = `pay_${randomUUID().replace(/-/g, '')}`;
    const sourceId = `src_${randomUUID().replace(/-/g, '')}`;
    const at = (options.at ?? new Date()).toISOString();
    const declined = options.outcome === 'declined';
    fake.paymentSources.set(paymentId, sourceId);
    const data = {
      id: paymentId,
      action_id: `act_${randomUUID().replace(/-/g, '')}`,
      amount: session.amount,
      currency: session.currency,
      payment_type: session.payment_type,
      reference: session.reference,
      response_code: declined ? '20051' : '10000',
      response_summary: declined ? 'Insufficient Funds' : 'Approved',
      processed_on: at,
      source: { id: sourceId, type: 'card' },
      customer: session.customer,
      metadata: session.metadata,
    };
    const answers: HostedPaymentResult['answers'] = [];
    for (const type of declined ? ['payment_declined'] : ['payment_approved', 'payment_captured']) {
      const raw = JSON.stringify({ id: `evt_${randomUUID().replace(/-/g, '')}`, type, created_on: at, data });
      const response = await fetch(fake.webhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Cko-Signature': signWebhook(raw, fake.webhookSecret) },
        body: raw,
      });
      answers.push({ type, status: response.status, body: await response.json() });
    }
    return { paymentId, sourceId, answers };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url,
    env: () => ({
      CHECKOUT_API_URL: url,
      CHECKOUT_SECRET_KEY: fake.secretKey,
      CHECKOUT_WEBHOOK_SECRET: fake.webhookSecret,
    }),
    release: () => held.splice(0).forEach((send) => send()),
    payHostedSession,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** Signs a raw body as Checkout.com does: hex HMAC-SHA256 keyed with the webhook secret. */
export function signWebhook(rawBody: string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Posts an event exactly as sent: the raw JSON text and its `Cko-Signature`. */
export function postWebhook(
  testApp: TestApp,
  event: object | string,
  secret: string,
  signature?: string,
): supertest.Test {
  const raw = typeof event === 'string' ? event : JSON.stringify(event);
  return testApp.http
    .post('/api/v1/webhooks/checkout')
    .set('Content-Type', 'application/json')
    .set('Cko-Signature', signature ?? signWebhook(raw, secret))
    .send(raw);
}

export interface PaymentEventOptions {
  type?: string;
  eventId?: string;
  paymentId?: string;
  createdOn?: string;
  metadata?: Record<string, unknown>;
  /** Extra or replaced members of `data`. */
  data?: Record<string, unknown>;
}

/** A Checkout.com webhook event in the envelope of docs/integrations.md §4.3. */
export function paymentEvent(options: PaymentEventOptions = {}): Record<string, unknown> {
  return {
    id: options.eventId ?? `evt_${randomUUID().replace(/-/g, '')}`,
    type: options.type ?? 'payment_captured',
    created_on: options.createdOn ?? new Date().toISOString(),
    data: {
      id: options.paymentId ?? `pay_${randomUUID().replace(/-/g, '')}`,
      action_id: `act_${randomUUID().replace(/-/g, '')}`,
      amount: 900,
      currency: 'USD',
      response_code: '10000',
      metadata: options.metadata ?? {},
      ...options.data,
    },
  };
}

/** The first Pro payment's `payment_captured`, carrying the stored card as `data.source.id`. */
export function proCaptured(
  userId: string,
  options: PaymentEventOptions & { sourceId?: string } = {},
): Record<string, unknown> {
  return paymentEvent({
    ...options,
    metadata: { user_id: userId, purpose: 'pro_subscription', ...options.metadata },
    data: {
      source: { id: options.sourceId ?? `src_${randomUUID().replace(/-/g, '')}`, type: 'card' },
      ...options.data,
    },
  });
}
