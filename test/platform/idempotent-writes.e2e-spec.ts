import { randomUUID } from 'node:crypto';
import { loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
}

/**
 * The idempotency step (docs/api.md §1.10) runs on every write handler: the interceptor is put on
 * each POST/PUT/PATCH/DELETE handler at boot rather than globally, so one that missed it would
 * answer without the key.
 */
describe('Idempotency-Key on every write route (docs/api.md §1.10)', () => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '1000000', RATE_LIMIT_AI: '1000000' });
    token = (await loginAs(t, { tier: 'pro' })).accessToken;
  });
  afterAll(() => t.close());

  it('should refuse every authenticated POST, PUT and PATCH that /docs-json lists without a key', async () => {
    const document = (await t.http.get('/docs-json')).body as { paths: Record<string, Record<string, Operation>> };
    const writes = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['post', 'put', 'patch'].includes(method))
        .filter(([, operation]) =>
          (operation.parameters ?? []).some((parameter) => parameter.name === 'Idempotency-Key' && parameter.required),
        )
        .map(([method]) => ({
          method: method as 'post' | 'put' | 'patch',
          path: path.replace(/\{[^}]+\}/g, randomUUID()),
        })),
    );
    expect(writes.length).toBeGreaterThanOrEqual(40);

    const answers = [];
    for (const { method, path } of writes) {
      const response = await t.http[method](path).set('Authorization', `Bearer ${token}`).send({});
      answers.push({
        route: `${method.toUpperCase()} ${path}`,
        status: response.status,
        details: response.body.error?.details,
      });
    }
    const withoutKeyCheck = answers.filter(
      (answer) =>
        answer.status !== 400 ||
        !(answer.details as Array<{ field: string }> | undefined)?.some((detail) => detail.field === 'Idempotency-Key'),
    );
    expect(withoutKeyCheck).toEqual([]);
  });

  it('should answer reads without an idempotency step, a key or not', async () => {
    const listed = await t.http
      .get('/api/v1/tasks')
      .set('Authorization', `Bearer ${token}`)
      .set('Idempotency-Key', 'x');
    expect(listed.status).toBe(200);
    expect(listed.headers['x-idempotent-replayed']).toBeUndefined();
    const again = await t.http.get('/api/v1/tasks').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'x');
    expect(again.status).toBe(200);
    expect(again.headers['x-idempotent-replayed']).toBeUndefined();
  });
});
