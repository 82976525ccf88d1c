import type { Transaction } from '@app/core/events/transaction';
import { grantCredits } from './credit-grants';

/**
 * Writes the one-time kickstart lot of a new user (docs/rules.md §2.3) inside the account-creation
 * transaction and emits `credit.granted`. The unique partial index on kickstart grants makes a
 * second grant a no-op; returns the lot id, or null when nothing was granted.
 */
export function grantKickstartCredits(
  tx: Transaction,
  userId: string,
  amount: number,
  now: Date,
): Promise<string | null> {
  return grantCredits(tx, {
    userId,
    creditType: 'kickstart',
    amount,
    operationRef: 'kickstart',
    description: 'Kickstart credits',
    reason: 'kickstart',
    now,
  });
}
