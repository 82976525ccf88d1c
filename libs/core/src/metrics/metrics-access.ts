import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Whether an `Authorization` header may read the metrics (docs/api.md §17): always when no
 * `METRICS_TOKEN` is configured, else only `Bearer <METRICS_TOKEN>` (compared in constant time).
 */
export function metricsAccessAllowed(token: string | undefined, authorization: string | undefined): boolean {
  if (token === undefined) return true;
  const match = /^Bearer (.+)$/i.exec(authorization ?? '');
  return match !== null && timingSafeEqual(sha256(match[1]), sha256(token));
}
