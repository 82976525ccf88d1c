import { LimitExceededError } from '@app/core/errors/domain-error';

/**
 * Refuses adding `count` items to the `current` ones beyond `limit` (docs/rules.md §1): LIMIT_EXCEEDED
 * carrying the limit and the count before the request.
 */
export function assertWithinLimit(current: number, count: number, limit: number, message: string): void {
  if (current + count > limit) throw new LimitExceededError(message, limit, current);
}
