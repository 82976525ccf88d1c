import { UserGoneError } from '@app/core/http/route-user-check';
import type { Checked } from './tasks.repository';

/** What a statement that also checked the user found; no user → 401 (docs/round-trips.md §1). */
export function userChecked<T>(checked: Checked<T>): T {
  if (!checked.userFound) throw new UserGoneError();
  return checked.found;
}
