import type { CreditType } from '@app/core/database/enums';
import type { Transaction } from '@app/core/events/transaction';
import { CreditGranted } from './credit.events';
import { CreditLedgerRepository } from './credit-ledger.repository';
import { balanceOf } from './credit-rules';

export interface CreditGrant {
  userId: string;
  creditType: CreditType;
  /** Positive number of credits. */
  amount: number;
  /** e.g. `payment:<provider payment id>`; unique per subscription/purchased grant. */
  operationRef: string | null;
  description: string;
  /** The `reason` of `credit.granted`, e.g. `kickstart`, `daily`, `subscription`, `purchase`. */
  reason: string;
  now: Date;
  /** Daily lots only. */
  grantDate?: string | null;
  expiresAt?: Date | null;
}

// A plain function (not only a service method) so that the account-creation transaction in
// libs/auth can grant the kickstart lot without depending on the credits module's providers.
const ledger = new CreditLedgerRepository();

/**
 * The one way credits are granted: under the user's ledger lock, a new lot whose `balance_after`
 * is the balance plus the grant, then `credit.granted` in the same transaction. A grant that a
 * unique grant index already holds (second kickstart, second daily lot of a day, second grant of
 * one payment) is skipped; returns the new lot id or null.
 */
export async function grantCredits(tx: Transaction, grant: CreditGrant): Promise<string | null> {
  if (!Number.isInteger(grant.amount) || grant.amount <= 0) return null;
  const { manager } = tx;
  await ledger.lockUser(manager, grant.userId);
  const balance = balanceOf(await ledger.openLots(manager, grant.userId, grant.now), grant.now).total;
  const lotId = await ledger.insert(manager, {
    userId: grant.userId,
    creditType: grant.creditType,
    operation: 'grant',
    amount: grant.amount,
    balanceAfter: balance + grant.amount,
    expiresAt: grant.expiresAt ?? null,
    grantDate: grant.grantDate ?? null,
    operationRef: grant.operationRef,
    description: grant.description,
    now: grant.now,
  });
  if (!lotId) return null;
  await tx.emit(
    CreditGranted,
    { credit_type: grant.creditType, amount: grant.amount, lot_id: lotId, reason: grant.reason },
    { userId: grant.userId, source: 'system', occurredAt: grant.now },
  );
  return lotId;
}
