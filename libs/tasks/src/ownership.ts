import { ForbiddenError, NotFoundError } from '@app/core/errors/domain-error';
import { UserGoneError } from '@app/core/http/route-user-check';
import type { Checked } from './tasks.repository';

/** Unknown → 404, another user's → 403 (docs/api.md §1.4). */
export function owned<T extends { userId: string }>(row: T | null, userId: string, resource: string): T {
  if (!row) throw new NotFoundError(resource);
  if (row.userId !== userId) throw new ForbiddenError();
  return row;
}

/** What a statement that also checked the user found; no user → 401 (docs/round-trips.md §1). */
export function userChecked<T>(checked: Checked<T>): T {
  if (!checked.userFound) throw new UserGoneError();
  return checked.found;
}
