import { FakeOpenAi, startFakeOpenAi } from './fake-openai';
import { createTestApp, TestApp } from './test-app';

export interface AiTestContext {
  t: TestApp;
  fake: FakeOpenAi;
}

/**
 * Registers the hooks of an AI e2e file: a fake OpenAI-compatible server, the API configured to
 * use it (plus `env`), the fake's recordings reset after each test, both closed at the end.
 */
export function useAiTestApp(env: Record<string, string> = {}): AiTestContext {
  const context = {} as AiTestContext;
  beforeAll(async () => {
    context.fake = await startFakeOpenAi();
    context.t = await createTestApp({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: context.fake.url, ...env });
  });
  afterEach(() => context.fake.reset());
  afterAll(async () => {
    await context.t.close();
    await context.fake.close();
  });
  return context;
}
