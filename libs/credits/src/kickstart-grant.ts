import { randomUUID } from 'node:crypto';
import type { Transaction } from '@app/core/events/transaction';
import { CreditGranted, CreditGrantedPayload } from './credit.events';

/**
 * Writes the one-time kickstart lot of a new user (rules.md §2.3) inside the account-creation
 * transaction and emits `credit.granted`. The unique partial index on kickstart grants makes a
 * second grant a no-op; returns the lot id, or null when nothing was granted.
 */
export async function grantKickstartCredits(
  tx: Transaction,
  userId: string,
  amount: number,
  now: Date,
): Promise<string | null> {
  if (amount <= 0) return null;
  const rows: Array<{ id: string }> = await tx.manager.query(
    `INSERT INTO ai_credit_ledger
       (id, user_id, credit_type, operation, amount, consumed, status, balance_after,
        operation_ref, description, created_at, updated_at)
     VALUES ($1, $2, 'kickstart', 'grant', $3, 0, 'committed', $3, 'kickstart', 'Kickstart credits', $4, $4)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [randomUUID(), userId, amount, now],
  );
  const lotId = rows[0]?.id;
  if (!lotId) return null;
  const payload: CreditGrantedPayload = { credit_type: 'kickstart', amount, lot_id: lotId, reason: 'kickstart' };
  await tx.emit(CreditGranted, payload, { userId, source: 'system', occurredAt: now });
  return lotId;
}
