import type { CreditType } from '@app/core/database/enums';
import type { CreditLot } from './credit-rules';

/** A lot as `ai_credit_ledger` rows carry it: the shared reading of the ledger's and the reservations' queries. */
export interface LotRow {
  id: string;
  credit_type: CreditType;
  amount: number;
  consumed: number;
  /** A Date, or its JSON text when the lots come as JSON. */
  created_at: Date | string;
  expires_at: Date | string | null;
  expired: boolean;
}

/** TypeORM answers `[rows, affected]` for UPDATE/DELETE … RETURNING and plain rows otherwise. */
export function returned<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

const LOT_COLUMNS = 'id, credit_type, amount, consumed, created_at, expires_at, expired';

export function toLot(row: LotRow): CreditLot {
  return {
    id: row.id,
    creditType: row.credit_type,
    amount: row.amount,
    consumed: row.consumed,
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    expired: row.expired,
  };
}

/** Lots of user `user` with a usable remainder at `now`, oldest first. */
export function openLotsOf(user: string, now: string): string {
  return `SELECT ${LOT_COLUMNS} FROM ai_credit_ledger
    WHERE user_id = ${user} AND operation = 'grant' AND expired = false AND consumed < amount
      AND (expires_at IS NULL OR expires_at > ${now})
    ORDER BY created_at, id`;
}
