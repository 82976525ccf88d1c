/** An outcome stored under an Idempotency-Key for replay (docs/api.md §1.10). */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The body's JSON text exactly as first sent, when read back for a replay (docs/api.md §1.10). */
  json?: string;
}

/** Whether an outcome with this status is stored for replay (docs/api.md §1.10). */
export function isStoredOutcome(status: number, code?: string): boolean {
  if (status >= 500) return false;
  if ([400, 401, 413, 415, 429].includes(status)) return false;
  return code !== 'IDEMPOTENCY_CONFLICT' && code !== 'IDEMPOTENCY_IN_PROGRESS';
}
