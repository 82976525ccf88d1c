import { SetMetadata } from '@nestjs/common';

export const EXACTLY_ONCE = 'idempotency:exactly-once';

/**
 * Marks a database-only write whose idempotency key, fingerprint and stored outcome commit in the
 * same transaction as its effects (docs/api.md §1.10 "Exactly once"). Routes without it keep the
 * claim/lease path (e.g. those that call an outside provider midway).
 */
export const ExactlyOnce = (): MethodDecorator => SetMetadata(EXACTLY_ONCE, true);
