import { ForbiddenError, NotFoundError } from './domain-error';

/** The caller's row: unknown (or gone for everyone) → 404, another user's → 403 (docs/api.md §1.4). */
export function owned<T extends { userId: string }>(row: T | null | undefined, userId: string, resource: string): T {
  if (!row) throw new NotFoundError(resource);
  if (row.userId !== userId) throw new ForbiddenError();
  return row;
}
