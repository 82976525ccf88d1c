import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { BenchUser } from './crud-mix';
import { freePort, launch, ROOT, stop, waitForStatus } from './processes';
import { LatencySummary, round, summarize } from './stats';

export interface TimedCalls {
  latency: LatencySummary;
  errors: number;
  errorSamples: string[];
}

async function timedCalls(count: number, call: (i: number) => Promise<string | null>): Promise<TimedCalls> {
  const samples: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const problem = await call(i);
    samples.push(performance.now() - start);
    if (problem !== null) {
      errors++;
      if (errorSamples.length < 3) errorSamples.push(problem);
    }
  }
  return { latency: summarize(samples), errors, errorSamples };
}

/** The hosted-payment sessions the webhooks pay: what `POST /billing/credits/purchase` stores before the redirect. */
async function storeCreditSessions(databaseUrl: string, users: BenchUser[], count: number): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO payment_sessions (user_id, purpose, credits, amount_cents, currency, provider_session_id, expires_at)
       SELECT user_id, 'credit_purchase', $2, $3, 'USD', 'hpp_bench_' || gen_random_uuid(), now() + interval '24 hours'
       FROM unnest($1::uuid[]) AS u(user_id)
       RETURNING id`,
      [Array.from({ length: count }, (_, i) => users[i % users.length].id), WEBHOOK_CREDITS, WEBHOOK_AMOUNT_CENTS],
    );
    return rows.map((row) => row.id);
  } finally {
    await db.end();
  }
}

const WEBHOOK_CREDITS = 10;
const WEBHOOK_AMOUNT_CENTS = 100;

/**
 * Checkout.com webhooks (docs/integrations.md §4.2): each a signed `payment_captured` paying a
 * stored credit-purchase session of another seeded user (the session, not the event, says who
 * gets what: docs/webhook-trust.md), processed synchronously by `POST /api/v1/webhooks/checkout`.
 */
export async function measureWebhooks(
  baseUrl: string,
  databaseUrl: string,
  secret: string,
  users: BenchUser[],
  count: number,
) {
  const sessions = await storeCreditSessions(databaseUrl, users, count);
  return timedCalls(count, async (i) => {
    const raw = JSON.stringify({
      id: `evt_${randomUUID().replace(/-/g, '')}`,
      type: 'payment_captured',
      created_on: new Date().toISOString(),
      data: {
        id: `pay_${randomUUID().replace(/-/g, '')}`,
        amount: WEBHOOK_AMOUNT_CENTS,
        currency: 'USD',
        response_code: '10000',
        reference: sessions[i],
        metadata: { payment_session_id: sessions[i], purpose: 'credit_purchase' },
      },
    });
    const response = await fetch(`${baseUrl}/api/v1/webhooks/checkout`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'cko-signature': createHmac('sha256', secret).update(raw).digest('hex'),
      },
      body: raw,
    });
    const text = await response.text();
    const processed = response.status === 200 && (JSON.parse(text) as { processed?: boolean }).processed === true;
    return processed ? null : `${response.status} ${text.slice(0, 200)}`;
  });
}

/**
 * `POST /api/v1/ai/chat` against a fake provider that answers after `providerDelayMs`; overhead =
 * latency − delay. Calls are spread over `userCount` users, each warmed by one unmeasured call
 * first (a user's first AI call of the day also writes the day's lazy credit grant).
 */
export async function measureAiOverhead(
  baseUrl: string,
  users: BenchUser[],
  count: number,
  providerDelayMs: number,
  userCount = 20,
) {
  const chat = async (user: BenchUser): Promise<string | null> => {
    const response = await fetch(`${baseUrl}/api/v1/ai/chat`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${user.token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({ message: 'What should I work on next?' }),
    });
    const text = await response.text();
    return response.status === 200 ? null : `${response.status} ${text.slice(0, 200)}`;
  };
  const chatUsers = users.slice(-userCount);
  for (const user of chatUsers) await chat(user);
  const calls = await timedCalls(count, (i) => chat(chatUsers[i % chatUsers.length]));
  const overhead = (value: number): number => round(value - providerDelayMs);
  return {
    ...calls,
    providerDelayMs,
    overhead: { p50: overhead(calls.latency.p50), p95: overhead(calls.latency.p95), p99: overhead(calls.latency.p99) },
  };
}

/**
 * `npm start` as a user runs it (the built supervisor: embedded PostgreSQL, migrations, API and
 * runner), timed from spawn to `/health/ready` 200: cold = empty DATA_DIR (initdb included),
 * warm = the same DATA_DIR again. `dataDir` is removed before and after.
 */
export async function measureStarts(dataDir: string, logFile: string): Promise<{ coldMs: number; warmMs: number }> {
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    EMBEDDED_PG_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const once = async (): Promise<number> => {
    const supervisor = launch('npm start', [join(ROOT, 'dist', 'scripts', 'start.js')], env, logFile);
    try {
      return Math.round(await waitForStatus(`http://127.0.0.1:${env.PORT}/health/ready`, supervisor));
    } finally {
      await stop(supervisor, 30_000);
    }
  };
  try {
    const coldMs = await once();
    const warmMs = await once();
    return { coldMs, warmMs };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
