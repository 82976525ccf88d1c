import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { createTask, createTasksTestApp, member } from './task-fixtures';

describe('GET /api/v1/tasks?search= (docs/api.md §5)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it("should match the title or description in any case, only among the caller's tasks", async () => {
    const alice = await member(t);
    const bob = await member(t);
    const byTitle = await createTask(alice.api, { title: 'Call MOM' });
    const byDescription = await createTask(alice.api, { title: 'Errand', description: 'buy flowers for mom' });
    await createTask(alice.api, { title: 'Unrelated' });
    await createTask(bob.api, { title: 'Call mom too' });
    const response = await alice.api.get('/api/v1/tasks?search=Mom');
    expect(response.status).toBe(200);
    expect(response.body.data.map((task: { id: string }) => task.id)).toEqual([byDescription.id, byTitle.id]);
    expect(response.body.pagination).toMatchObject({ total: 2 });
    const literal = await alice.api.get('/api/v1/tasks?search=%25');
    expect(literal.body.data).toEqual([]);
  });

  it('should refuse an empty or overlong search', async () => {
    const alice = await member(t);
    expectError(await alice.api.get('/api/v1/tasks?search=%20'), 400, 'VALIDATION_ERROR');
    expectError(await alice.api.get(`/api/v1/tasks?search=${'x'.repeat(201)}`), 400, 'VALIDATION_ERROR');
  });
});
