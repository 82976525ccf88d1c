import fc from 'fast-check';
import { memberWithEverything } from '../ownership/resources';
import { FakeCheckout, startFakeCheckout } from '../support/fake-checkout';
import { as, loginAs } from '../support/factories';
import { FakeDeepgram, startFakeDeepgram } from '../support/fake-deepgram';
import { FakeGoogle, startFakeGoogle } from '../support/fake-google';
import { FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { createTestApp, TestApp } from '../support/test-app';
import { describeRequest, fuzzRequest, toHttp } from './fuzz-request';
import { changedTables, userData } from './user-data';
import { FuzzWorld, WRITE_ENDPOINTS, WriteEndpoint } from './write-endpoints';

/**
 * Property-based fuzzing of every write endpoint (issue #8): generated params, bodies and headers.
 * Every answer is a 2xx or a 4xx with the error envelope, never a 5xx, never a stack trace; a
 * rejected request leaves both users' data exactly as it was.
 *
 * FUZZ_RUNS sets the total number of generated requests (default 1000, about a minute inside
 * `npm test`; `FUZZ_RUNS=10000 npx jest test/fuzz` is the full run); FUZZ_SEED replays a run.
 */
const TOTAL_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const RUNS_PER_ENDPOINT = Math.max(10, Math.ceil(TOTAL_RUNS / WRITE_ENDPOINTS.length));
const STACK_TRACE = /\n\s+at .+:\d+:\d+|QueryFailedError|TypeORMError|node_modules/;
const ANSWER_WITHIN_MS = 10_000;
const FAST_ENOUGH_MS = 15_000 + RUNS_PER_ENDPOINT * 150;

jest.setTimeout(FAST_ENOUGH_MS * 2);

describe('fuzzing every write endpoint', () => {
  let t: TestApp;
  let openAi: FakeOpenAi;
  let deepgram: FakeDeepgram;
  let checkout: FakeCheckout;
  let google: FakeGoogle;
  const googleTokens: string[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;

  beforeAll(async () => {
    [openAi, deepgram, checkout, google] = await Promise.all([
      startFakeOpenAi(),
      startFakeDeepgram(),
      startFakeCheckout(),
      startFakeGoogle(),
    ]);
    // No provider duration: a rejected transcription then never marks a note `failed` (docs/api.md §10.4).
    deepgram.prerecorded.duration = null;
    t = await createTestApp({
      ...checkout.env(),
      ...google.env(),
      OPENAI_API_KEY: 'sk-fuzz-secret',
      OPENAI_BASE_URL: openAi.url,
      DEEPGRAM_API_KEY: deepgram.apiKey,
      DEEPGRAM_URL: deepgram.url,
      RATE_LIMIT_GENERAL: '1000000',
      RATE_LIMIT_AI: '1000000',
      RATE_LIMIT_AUTH: '1000000',
    });
    for (let i = 0; i < 3; i++) googleTokens.push(await google.mint());
  });

  afterAll(async () => {
    const counts = [...statuses.entries()].sort(([a], [b]) => a - b);
    const serverErrors = counts.filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
    process.stdout.write(
      `\nfuzz: ${sent} requests over ${WRITE_ENDPOINTS.length} endpoints, ${serverErrors} answered 5xx; ` +
        `statuses ${counts.map(([status, n]) => `${status}×${n}`).join(' ')}\n`,
    );
    await t?.close();
    await Promise.all([openAi?.close(), deepgram?.close(), checkout?.close(), google?.close()]);
  });

  it('should cover every write operation that /docs-json lists', async () => {
    const document = (await t.http.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const listed = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ['post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    const fuzzed = WRITE_ENDPOINTS.map((endpoint) => `${endpoint.method} ${endpoint.path}`);
    expect(listed.filter((operation) => !fuzzed.includes(operation))).toEqual([]);
    expect(fuzzed.filter((operation) => !listed.includes(operation))).toEqual([]);
  });

  async function fuzz(endpoint: WriteEndpoint): Promise<void> {
    const [owner, other] = await Promise.all([memberWithEverything(t), memberWithEverything(t)]);
    const world: FuzzWorld = { owner, other, googleTokens };
    const users = [world.owner.id, world.other.id];
    openAi.reset();
    openAi.content = endpoint.aiContent ?? 'A plain answer';
    // Pro users get today's daily lot on their first credit read; take it before comparing.
    await world.owner.api.get('/api/v1/credits/balance');
    await world.other.api.get('/api/v1/credits/balance');

    const property = fc.asyncProperty(fuzzRequest(endpoint, world), async (request) => {
      const before = await userData(t.dataSource, users);
      const http = toHttp(endpoint, world, request, t.baseUrl, checkout.webhookSecret);
      const response = await fetch(http.url, {
        method: http.method,
        headers: http.headers,
        body: http.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      }).catch((error: unknown) => {
        throw new Error(`no answer within ${ANSWER_WITHIN_MS} ms (${String(error)})\n${describeRequest(http)}`);
      });
      const text = await response.text();
      sent += 1;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const fail = (why: string): never => {
        throw new Error(`${why}\n${describeRequest(http)}\nanswer ${response.status}: ${text.slice(0, 800)}`);
      };
      if (response.status >= 500) fail('a 5xx answer');
      if (STACK_TRACE.test(text)) fail('internals leaked in the answer');
      if (response.status < 400) return;
      let envelope: { error?: { code?: unknown; message?: unknown; request_id?: unknown } } = {};
      try {
        envelope = JSON.parse(text) as typeof envelope;
      } catch {
        fail('an error answer that is not JSON');
      }
      const { code, message, request_id: requestId } = envelope.error ?? {};
      if (typeof code !== 'string' || typeof message !== 'string' || typeof requestId !== 'string') {
        fail('an error answer without the error envelope');
      }
      const changed = changedTables(before, await userData(t.dataSource, users));
      if (changed.length > 0) fail(`a rejected request changed ${changed.join(', ')}`);
    });
    await fc.assert(property, { numRuns: RUNS_PER_ENDPOINT, seed: SEED, endOnFailure: true });
    // Still serving (the owner may have deleted the account, legitimately).
    expect((await as(t, (await loginAs(t)).accessToken).get('/api/v1/tasks')).status).toBe(200);
  }

  for (const endpoint of WRITE_ENDPOINTS) {
    // eslint-disable-next-line jest/expect-expect -- fuzz() asserts: fc.assert over the runs, then expect().
    it(`${endpoint.method} ${endpoint.path}`, () => fuzz(endpoint));
  }
});
