import { randomInt, randomUUID } from 'node:crypto';

/** A seeded user: an access token and the ids of tasks that exist for the whole run. */
export interface BenchUser {
  id: string;
  token: string;
  taskIds: string[];
}

export type RequestKind = 'list' | 'get' | 'create' | 'patch';
export const REQUEST_KINDS: RequestKind[] = ['list', 'get', 'create', 'patch'];

export interface MixRequest {
  kind: RequestKind;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Issue #7: list 50 %, get 20 %, create 15 %, PATCH 15 % (cumulative thresholds out of 100). */
const MIX: Array<[RequestKind, number]> = [
  ['list', 50],
  ['get', 70],
  ['create', 85],
  ['patch', 100],
];
const PRIORITIES = ['low', 'medium', 'high'];

export function pickKind(roll: number): RequestKind {
  return MIX.find(([, threshold]) => roll < threshold)![0];
}

/**
 * One request of the CRUD mix for `user`: authenticated and with its own `Idempotency-Key`
 * (required on the mutations, ignored by the API on reads, sent on every request like a client
 * that always sets it).
 */
export function mixRequest(user: BenchUser, kind: RequestKind = pickKind(randomInt(100))): MixRequest {
  const headers: Record<string, string> = {
    authorization: `Bearer ${user.token}`,
    'idempotency-key': randomUUID(),
  };
  const taskId = user.taskIds[randomInt(user.taskIds.length)];
  const n = randomInt(1_000_000);
  switch (kind) {
    case 'list':
      return { kind, method: 'GET', path: '/api/v1/tasks', headers };
    case 'get':
      return { kind, method: 'GET', path: `/api/v1/tasks/${taskId}`, headers };
    case 'create':
      return withJson(kind, 'POST', '/api/v1/tasks', headers, {
        title: `Bench task ${n}`,
        description: 'Created by npm run bench',
        priority: PRIORITIES[n % 3],
      });
    case 'patch':
      return withJson(kind, 'PATCH', `/api/v1/tasks/${taskId}`, headers, {
        title: `Renamed ${n}`,
        priority: PRIORITIES[n % 3],
      });
  }
}

function withJson(
  kind: RequestKind,
  method: 'POST' | 'PATCH',
  path: string,
  headers: Record<string, string>,
  body: object,
): MixRequest {
  return {
    kind,
    method,
    path,
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}
