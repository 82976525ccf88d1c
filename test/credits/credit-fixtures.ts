import { randomUUID } from 'node:crypto';
import type { CreditType } from '@app/core/database/enums';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import type { TestApp } from '../support/test-app';

/** Grants a lot through the real ledger service, as billing does for payments. */
export function grantLot(
  t: TestApp,
  userId: string,
  creditType: CreditType,
  amount: number,
  now = new Date(),
): Promise<string | null> {
  return t.app.get(UnitOfWork).run((tx) =>
    t.app.get(CreditLedgerService).grant(tx, {
      userId,
      creditType,
      amount,
      operationRef: creditType === 'subscription' || creditType === 'purchased' ? `payment:pay_${randomUUID()}` : null,
      description: `Test ${creditType} credits`,
      reason: creditType,
      now,
    }),
  );
}

/** Removes every lot of a user (e.g. the kickstart lot) so a test starts from a known balance. */
export async function clearCredits(t: TestApp, userId: string): Promise<void> {
  await t.dataSource.query('DELETE FROM ai_credit_ledger WHERE user_id = $1', [userId]);
}

export interface LedgerSnapshot {
  id: string;
  credit_type: CreditType;
  operation: string;
  amount: number;
  consumed: number;
  status: string;
  balance_after: number;
  source_id: string | null;
}

export function ledgerOf(t: TestApp, userId: string): Promise<LedgerSnapshot[]> {
  return t.dataSource.query(
    `SELECT id, credit_type, operation, amount, consumed, status, balance_after, source_id, operation_ref, reservation_id
     FROM ai_credit_ledger WHERE user_id = $1 ORDER BY created_at, id`,
    [userId],
  );
}

/** Σ(amount − consumed) over usable lots, straight from the table. */
export async function storedBalance(t: TestApp, userId: string): Promise<number> {
  const [row] = await t.dataSource.query(
    `SELECT COALESCE(SUM(amount - consumed), 0)::int AS total FROM ai_credit_ledger
     WHERE user_id = $1 AND operation = 'grant' AND expired = false AND (expires_at IS NULL OR expires_at > now())`,
    [userId],
  );
  return row.total;
}
