import type { Request, Response } from 'express';
import { RouteLayer, routeGate } from './request-gate';

/** A layer matching like Express: case-insensitive, `:param` for one segment, optional trailing slash. */
function layer(path: string, methods: string[]): RouteLayer {
  const pattern = new RegExp(`^${path.replace(/:[a-z_]+/g, '[^/]+').replace('{*path}', '.*')}/?$`, 'i');
  return { route: { path, _methods: () => methods }, match: (candidate) => pattern.test(candidate) };
}

describe(routeGate.name, () => {
  const stack = [
    layer('{*path}', ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace', 'all']),
    layer('/api/v1/tasks', ['get', 'post']),
    layer('/api/v1/tasks/:id', ['get', 'patch', 'put']),
    layer('/health/live', ['get']),
    layer('/:anything/echo', ['post']),
    { name: 'serveStatic', match: (candidate: string) => /^\/docs(\/|$)/i.test(candidate) },
  ];

  function run(method: string, path: string): { status?: number; allow?: string; passed: boolean; code?: string } {
    const outcome: { status?: number; allow?: string; passed: boolean; code?: string } = { passed: false };
    const response = {
      locals: {},
      setHeader: (name: string, value: string) => (name === 'Allow' ? (outcome.allow = value) : undefined),
      status(code: number) {
        outcome.status = code;
        return this;
      },
      json: (body: { error: { code: string } }) => (outcome.code = body.error.code),
    };
    routeGate(() => stack)({ method, path, headers: {} } as Request, response as unknown as Response, () => {
      outcome.passed = true;
    });
    return outcome;
  }

  it('should pass a known method on a known path, whatever its letter case or trailing slash', () => {
    expect(run('GET', '/api/v1/tasks').passed).toBe(true);
    expect(run('PATCH', '/API/v1/Tasks/6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e/').passed).toBe(true);
    expect(run('HEAD', '/health/live').passed).toBe(true);
    expect(run('POST', '/x/echo').passed).toBe(true);
  });

  it('should answer 405 with Allow for another method on a known path', () => {
    expect(run('DELETE', '/api/v1/tasks/1')).toEqual({
      passed: false,
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      allow: 'GET, HEAD, PATCH, PUT',
    });
  });

  it('should answer 404 for an unknown path, never matching the catch-all middleware route', () => {
    expect(run('GET', '/api/v1/nope')).toEqual({ passed: false, status: 404, code: 'NOT_FOUND' });
    expect(run('GET', '/api/v1/tasks/1/nope')).toMatchObject({ status: 404 });
  });

  it('should pass reads below a static-file mount to it and answer 404 for writes there', () => {
    expect(run('GET', '/docs/swagger-ui.css').passed).toBe(true);
    expect(run('HEAD', '/docs/swagger-ui-bundle.js').passed).toBe(true);
    expect(run('POST', '/docs/swagger-ui.css')).toEqual({ passed: false, status: 404, code: 'NOT_FOUND' });
    expect(run('GET', '/documents')).toEqual({ passed: false, status: 404, code: 'NOT_FOUND' });
  });
});
