import { Logger } from '@nestjs/common';
import type { DomainEvent } from './domain-event';
import type { Transaction } from './transaction';

// One line for a failed reaction, whether the bus ran it or the emitter called it.
const logger = new Logger('EventBus');

/** Logs that the reaction `handler` to `event` failed; the change that emitted the event stands. */
export function logReactionFailure(handler: string, event: DomainEvent<unknown>, error: unknown): void {
  logger.error(
    { event: event.type, handler, user_id: event.userId, err: error },
    `event handler ${handler} failed for ${event.type}; the change itself stands`,
  );
}

/**
 * Runs a tx-safe reaction to `event` (docs/jobs.md §5): under a savepoint of the change's
 * transaction, so that a failure rolls back only the reaction's writes and is only logged.
 */
export async function runTxSafe(
  tx: Transaction,
  handler: string,
  event: DomainEvent<unknown>,
  reaction: () => Promise<unknown>,
): Promise<void> {
  await tx.savepoint(reaction).catch((error: unknown) => logReactionFailure(handler, event, error));
}
