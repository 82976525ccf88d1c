import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { launch, Launched, ROOT, stop, waitForStatus } from '../bench/processes';

/** The built API (`npm run build`) as its own process on a given database. */
export interface ApiProcess {
  url: string;
  launched: Launched;
  stop(): Promise<void>;
}

export interface ApiSettings {
  databaseUrl: string;
  port: number;
  dataDir: string;
  keys: { privateKey: string; publicKey: string };
  logFile: string;
  env?: Record<string, string>;
}

export async function startApi(settings: ApiSettings): Promise<ApiProcess> {
  const url = `http://127.0.0.1:${settings.port}`;
  const launched = launch(
    'api',
    [join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js')],
    {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      PORT: String(settings.port),
      DATABASE_URL: settings.databaseUrl,
      DATA_DIR: settings.dataDir,
      DB_MIGRATE_ON_START: 'true',
      AUTH_DEV_LOGIN: 'true',
      LOG_LEVEL: 'warn',
      JWT_PRIVATE_KEY: settings.keys.privateKey,
      JWT_PUBLIC_KEY: settings.keys.publicKey,
      RATE_LIMIT_GENERAL: '1000000',
      RATE_LIMIT_AUTH: '1000000',
      ...settings.env,
    },
    settings.logFile,
  );
  await waitForStatus(`${url}/health/ready`, launched, 120_000);
  return { url, launched, stop: () => stop(launched) };
}

/** Signs in a new user through dev login; returns its access token. */
export async function login(apiUrl: string): Promise<string> {
  const response = await fetch(`${apiUrl}/api/v1/auth/dev/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: `fault-${randomUUID()}@example.com` }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** One attempted write and what the API answered (`0` = no answer: connection refused or reset). */
export interface Attempt {
  kind: 'create' | 'complete';
  key: string;
  title: string;
  status: number;
  code: string | null;
  /** The answer carried `X-Idempotent-Replayed: true`: the stored outcome of an earlier attempt. */
  replayed: boolean;
  /** performance.now() when the answer arrived. */
  at: number;
}

export interface WriteLoad {
  attempts: Attempt[];
  /** Created task ids by title (acknowledged creates only). */
  created: Map<string, string>;
  /** Titles whose completion was acknowledged. */
  completed: Set<string>;
  stop(): Promise<void>;
}

/** What the API answered to one write (`status` 0 = no answer: connection refused or reset). */
export interface Answer {
  status: number;
  code: string | null;
  body: Record<string, unknown> | null;
  replayed: boolean;
}

async function sendWrite(
  url: string,
  method: string,
  path: string,
  token: string,
  key: string,
  body: object,
): Promise<Answer> {
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const parsed = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    const error = parsed?.error as { code?: string } | undefined;
    return {
      status: response.status,
      code: error?.code ?? null,
      body: parsed,
      replayed: response.headers.get('x-idempotent-replayed') === 'true',
    };
  } catch {
    return { status: 0, code: null, body: null, replayed: false };
  }
}

/** No answer, a 5xx, a key still in progress or a 429: the client does not know the outcome yet. */
function isUnknownOutcome(answer: Answer): boolean {
  return (
    answer.status === 0 ||
    answer.status >= 500 ||
    answer.status === 429 ||
    (answer.status === 409 && answer.code === 'IDEMPOTENCY_IN_PROGRESS')
  );
}

/**
 * Clients that each loop: create a task (201 = acknowledged), then complete it (200 =
 * acknowledged; completed tasks do not count against the active-task limit). Every answer is
 * recorded. With `retry`, each write whose outcome the client does not know (see
 * `isUnknownOutcome`) is sent again with the same `Idempotency-Key` until it gets a final answer,
 * as docs/api.md §1.10 tells clients to do; without it, a failed write is given up.
 */
export function startWriteLoad(
  apiUrl: () => string,
  tokens: string[],
  prefix: string,
  options: { retry?: boolean } = {},
): WriteLoad {
  const load: WriteLoad = { attempts: [], created: new Map(), completed: new Set(), stop: async () => undefined };
  let running = true;
  const write = async (
    kind: Attempt['kind'],
    method: string,
    path: string,
    token: string,
    title: string,
    body: object,
  ): Promise<Answer> => {
    const key = randomUUID();
    for (;;) {
      const answer = await sendWrite(apiUrl(), method, path, token, key, body);
      load.attempts.push({
        kind,
        key,
        title,
        status: answer.status,
        code: answer.code,
        replayed: answer.replayed,
        at: performance.now(),
      });
      if (!options.retry || !isUnknownOutcome(answer)) return answer;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const client = async (token: string, index: number): Promise<void> => {
    for (let n = 0; running; n++) {
      const title = `${prefix}-${index}-${n}`;
      const created = await write('create', 'POST', '/api/v1/tasks', token, title, { title });
      if (created.status === 201) {
        const id = (created.body?.data as { id: string }).id;
        load.created.set(title, id);
        const done = await write('complete', 'PATCH', `/api/v1/tasks/${id}`, token, title, { completed: true });
        if (done.status === 200) load.completed.add(title);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const clients = tokens.map((token, index) => client(token, index));
  load.stop = async () => {
    running = false;
    await Promise.all(clients);
  };
  return load;
}

/** Polls until `probe` is true; returns the milliseconds it took (rejects after `timeoutMs`). */
export async function timeUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await probe().catch(() => false)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not reached within ${timeoutMs} ms`);
}

export async function statusOf(url: string): Promise<number> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** The postmaster serving `port` (found in /proc): SIGQUIT to it is PostgreSQL's immediate shutdown, a crash. */
export function postmasterPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv[0]?.endsWith('/postgres') && argv.includes('-p') && argv[argv.indexOf('-p') + 1] === String(port)) {
      return Number(entry);
    }
  }
  throw new Error(`no postmaster listens on port ${port}`);
}
