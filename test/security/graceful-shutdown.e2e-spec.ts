import { freePort } from '../support/test-database';
import { FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { createTestDatabase } from '../support/test-app';
import { builtEntry, processEnv, startNode, Started } from '../jobs/processes';
import { join } from 'node:path';

const API_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');

/**
 * The built API (`node dist/apps/api/src/main.js`) drains in-flight requests on SIGTERM: a slow
 * request (an AI chat waiting 1.5 s on the provider) that is running when the signal arrives
 * still completes, charged and committed, and the process then exits 0 at once (not at the 10-s
 * shutdown deadline, which idle keep-alive connections used to run into).
 */
describe('graceful shutdown of the API process', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let openAi: FakeOpenAi;
  let api: Started | undefined;

  beforeAll(async () => {
    [database, openAi] = await Promise.all([createTestDatabase(), startFakeOpenAi()]);
  });

  afterAll(async () => {
    if (api && api.child.exitCode === null) api.child.kill('SIGKILL');
    await api?.exited;
    await openAi.close();
    await database.drop();
  });

  async function waitForReady(url: string): Promise<void> {
    for (let attempt = 0; attempt < 300; attempt++) {
      const status = await fetch(`${url}/health/ready`)
        .then((response) => response.status)
        .catch(() => 0);
      if (status === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`API did not become ready: ${JSON.stringify(api?.output())}`);
  }

  it('should finish a request that is running when SIGTERM arrives, then exit 0', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    api = startNode(
      builtEntry(API_MAIN),
      [],
      processEnv(database.url, { PORT: String(port), OPENAI_API_KEY: 'sk-shutdown', OPENAI_BASE_URL: openAi.url }),
    );
    await waitForReady(url);
    const login = await fetch(`${url}/api/v1/auth/dev/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'shutdown@example.com' }),
    });
    const { access_token: token } = (await login.json()) as { access_token: string };

    openAi.delayMs = 1500;
    const slow = fetch(`${url}/api/v1/ai/chat`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': 'shutdown-1',
      },
      body: JSON.stringify({ message: 'Take your time' }),
    });
    while (openAi.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    api.child.kill('SIGTERM');

    const response = await slow;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { credits_used: number } }).data.credits_used).toBe(1);
    const exit = await api.exited;
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code: 0, signal: null });
    expect(exit.stderr).not.toContain('shutdown deadline passed');
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  }, 30_000);
});
