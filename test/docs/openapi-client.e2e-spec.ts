import { runExample } from '../../clients/typescript/example';
import { createTestApp, TestApp } from '../support/test-app';

describe('typed TypeScript client (clients/typescript, docs/README.md "API reference and client")', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should run the example against the API: dev login, create a task, list it', async () => {
    const lines: string[] = [];
    const result = await runExample(t.baseUrl, (line) => lines.push(line));

    expect(result.user).toMatchObject({ name: 'Example Client', tier: 'free' });
    expect(result.created).toMatchObject({ title: 'Try the typed client', priority: 'high', completed: false });
    expect(result.listed.map((task) => task.id)).toEqual([result.created.id]);
    expect(result.total).toBe(1);
    expect(lines).toEqual([
      `signed in as ${result.user.email} (free)`,
      `created task ${result.created.id}: Try the typed client`,
      '1 high-priority task(s)',
    ]);
    const stored = await t.dataSource.query('SELECT user_id, title, priority FROM task_instances WHERE id = $1', [
      result.created.id,
    ]);
    expect(stored).toEqual([{ user_id: result.user.id, title: 'Try the typed client', priority: 'high' }]);
  });
});
