import { randomUUID } from 'node:crypto';
import supertest from 'supertest';
import type { TestApp } from './test-app';

export interface LoggedInUser {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; tier: 'free' | 'pro'; [field: string]: unknown };
}

/** Signs in through the real dev-login endpoint (a new user unless `email` names an existing one). */
export async function loginAs(
  testApp: TestApp,
  options: { email?: string; name?: string; tier?: 'free' | 'pro' } = {},
): Promise<LoggedInUser> {
  const email = options.email ?? `user-${randomUUID()}@example.com`;
  const response = await testApp.http
    .post('/api/v1/auth/dev/login')
    .send({ email, ...(options.name ? { name: options.name } : {}), ...(options.tier ? { tier: options.tier } : {}) });
  if (response.status !== 200) throw new Error(`dev login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return {
    accessToken: response.body.access_token,
    refreshToken: response.body.refresh_token,
    user: response.body.user,
  };
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Requests as `token`: sets `Authorization` and, on POST/PUT/PATCH/DELETE, a fresh
 * `Idempotency-Key` (as the web client does) unless the test sets its own.
 */
export function as(testApp: TestApp, token: string): Record<Method, (path: string) => supertest.Test> {
  const build =
    (method: Method) =>
    (path: string): supertest.Test => {
      const request = testApp.http[method](path).set('Authorization', `Bearer ${token}`);
      return method === 'get' ? request : request.set('Idempotency-Key', randomUUID());
    };
  return { get: build('get'), post: build('post'), put: build('put'), patch: build('patch'), delete: build('delete') };
}

/** Asserts an error envelope of docs/api.md §1.5 and returns its `error` object. */
export function expectError(response: supertest.Response, status: number, code: string): Record<string, unknown> {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
  expect(typeof response.body.error.message).toBe('string');
  expect(typeof response.body.error.request_id).toBe('string');
  return response.body.error as Record<string, unknown>;
}
