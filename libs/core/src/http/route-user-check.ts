import { SetMetadata } from '@nestjs/common';
import { UnauthorizedError } from '../errors/domain-error';

export const USER_CHECKED_BY_ROUTE = 'perpetua:userCheckedByRoute';

/**
 * Marks a route whose first statement also checks that the token's user still exists
 * (docs/round-trips.md §1): the auth guard then verifies the token without a statement of its own.
 * The route must answer `UserGoneError` when that check finds no user.
 */
export const UserCheckedByRoute = (): MethodDecorator => SetMetadata(USER_CHECKED_BY_ROUTE, true);

/** A valid token whose user no longer exists (docs/api.md §1.4). */
export class UserGoneError extends UnauthorizedError {
  constructor() {
    super('The user of this access token no longer exists');
  }
}
