import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { FakeOtlp, ReceivedSpan, startFakeOtlp } from '../support/fake-otlp';
import { createTestDatabase } from '../support/test-app';
import { freePort } from '../support/test-database';
import { JOB_CLI, processEnv, runNode, startNode, Started } from '../jobs/processes';

const API_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

/**
 * OpenTelemetry across processes (docs/configuration.md §2.7): the built API and `npm run job`
 * export to a local OTLP receiver; a request, the outbound call it makes and the job it enqueued
 * are one trace, and the request's log lines name it.
 */
describe('tracing (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let otlp: FakeOtlp;
  let openAi: FakeOpenAi;
  let api: Started;
  let url: string;
  let env: NodeJS.ProcessEnv;

  const spansOf = (traceId: string): ReceivedSpan[] => otlp.spans.filter((span) => span.traceId === traceId);

  async function eventually<T>(find: () => T | undefined, what: string): Promise<T> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const found = find();
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`no ${what} among ${JSON.stringify(otlp.spans.map((span) => span.name))}`);
  }

  beforeAll(async () => {
    [database, otlp, openAi] = await Promise.all([createTestDatabase(), startFakeOtlp(), startFakeOpenAi()]);
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    env = processEnv(database.url, {
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '50',
      OPENAI_API_KEY: 'sk-tracing',
      OPENAI_BASE_URL: openAi.url,
    });
    api = startNode(API_MAIN, [], { ...env, PORT: String(port), OTEL_SERVICE_NAME: 'perpetua-api-test' });
    for (let attempt = 0; attempt < 300; attempt++) {
      const status = await fetch(`${url}/health/live`)
        .then((response) => response.status)
        .catch(() => 0);
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`API did not start: ${JSON.stringify(api.output())}`);
  });

  afterAll(async () => {
    if (api.child.exitCode === null) api.child.kill('SIGTERM');
    await api.exited;
    await Promise.all([otlp.close(), openAi.close(), database.drop()]);
  });

  async function post(path: string, token: string | null, body: object = {}): Promise<Response> {
    return fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  it('makes a request and the job it enqueued one trace, across processes', async () => {
    const login = await post('/api/v1/auth/dev/login', null, { email: 'traced@example.com' });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const exported = await post('/api/v1/users/me/export', token);
    expect(exported.status).toBe(202);

    const request = await eventually(
      () =>
        otlp.spans.find((span) => span.kind === SERVER && span.attributes['http.route'] === '/api/v1/users/me/export'),
      'server span of the export request',
    );
    expect(request.service).toBe('perpetua-api-test');
    expect(spansOf(request.traceId).some((span) => span.name.startsWith('pg.') || 'db.system' in span.attributes)).toBe(
      true,
    );

    const run = await runNode(JOB_CLI, ['data_export'], { ...env, OTEL_SERVICE_NAME: 'perpetua-job-test' });
    expect(JSON.parse(run.stdout)).toMatchObject({ job: 'data_export', status: 'success' });
    const job = await eventually(
      () => otlp.spans.find((span) => span.kind === CONSUMER && span.name === 'job data_export'),
      'span of the data_export job',
    );
    expect(job).toMatchObject({ service: 'perpetua-job-test', traceId: request.traceId });
    expect(job.parentSpanId).toBeDefined();
    expect(spansOf(request.traceId).map((span) => span.spanId)).toContain(job.parentSpanId);
  });

  it('carries the trace into outbound calls and every log line of the request', async () => {
    const login = await post('/api/v1/auth/dev/login', null, { email: 'traced-chat@example.com' });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const chat = await post('/api/v1/ai/chat', token, { message: 'Plan my day' });
    expect(chat.status).toBe(200);

    const request = await eventually(
      () => otlp.spans.find((span) => span.kind === SERVER && span.attributes['http.route'] === '/api/v1/ai/chat'),
      'server span of the chat request',
    );
    const outbound = await eventually(
      () =>
        spansOf(request.traceId).find(
          (span) => span.kind === CLIENT && String(span.attributes['url.full'] ?? '').startsWith(openAi.url),
        ),
      'client span of the OpenAI call',
    );
    expect(outbound.attributes['http.request.method']).toBe('POST');
    // Log lines are written in batches (up to 100 ms late): wait for the request's line.
    const logged = await eventually(
      () =>
        api
          .output()
          .stdout.split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .find((line) => (line.req as { url?: string } | undefined)?.url === '/api/v1/ai/chat'),
      'log line of the chat request',
    );
    expect(logged).toMatchObject({ trace_id: request.traceId });
  });
});
