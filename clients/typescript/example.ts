import { randomUUID } from 'node:crypto';
import createClient, { Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

type Task = components['schemas']['TaskResponseDto'];

export interface ExampleResult {
  user: components['schemas']['UserResponseDto'];
  created: Task;
  listed: Task[];
  total: number;
}

/**
 * Signs in with the development login (AUTH_DEV_LOGIN=true), creates a task and lists the user's
 * high-priority tasks, every call typed from docs/openapi.json. `npm test` runs it against the
 * test app (test/docs/openapi-client.e2e-spec.ts); by hand: `npx ts-node clients/typescript/example.ts`
 * with `API_URL` pointing at a running API.
 */
export async function runExample(baseUrl: string, log: (line: string) => void = console.log): Promise<ExampleResult> {
  const api = createClient<paths>({ baseUrl });

  const login = await api.POST('/api/v1/auth/dev/login', {
    body: { email: `example-${randomUUID()}@example.com`, name: 'Example Client' },
  });
  if (!login.data) throw new Error(`dev login failed: ${login.error?.error.code}`);
  const { access_token: token, user } = login.data;
  const auth: Middleware = {
    onRequest: ({ request }) => {
      request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  };
  api.use(auth);
  log(`signed in as ${user.email} (${user.tier})`);

  const created = await api.POST('/api/v1/tasks', {
    params: { header: { 'Idempotency-Key': randomUUID() } },
    body: { title: 'Try the typed client', priority: 'high' },
  });
  if (!created.data) throw new Error(`creating the task failed: ${created.error?.error.code}`);
  log(`created task ${created.data.data.id}: ${created.data.data.title}`);

  const listed = await api.GET('/api/v1/tasks', { params: { query: { priority: 'high', limit: 10 } } });
  if (!listed.data) throw new Error(`listing the tasks failed: ${listed.error?.error.code}`);
  log(`${listed.data.pagination.total} high-priority task(s)`);

  return { user, created: created.data.data, listed: listed.data.data, total: listed.data.pagination.total };
}

if (require.main === module) {
  runExample(process.env.API_URL ?? 'http://localhost:3000').catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
