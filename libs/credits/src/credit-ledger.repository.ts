import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CreditEntryStatus, CreditOperation, CreditType } from '@app/core/database/enums';
import { LotRow, openLotsOf, returned, toLot } from './credit-lot-rows';
import type { CreditLot } from './credit-rules';

export interface NewLedgerEntry {
  userId: string;
  creditType: CreditType;
  operation: CreditOperation;
  amount: number;
  status?: CreditEntryStatus;
  balanceAfter: number;
  expiresAt?: Date | null;
  grantDate?: string | null;
  sourceId?: string | null;
  operationRef?: string | null;
  reservationId?: string | null;
  description: string;
  now: Date;
}

export interface LedgerRow {
  id: string;
  user_id: string;
  credit_type: CreditType;
  operation: CreditOperation;
  amount: number;
  consumed: number;
  balance_after: number;
  operation_ref: string | null;
  expires_at: Date | null;
  expired: boolean;
  source_id: string | null;
  description: string;
  created_at: Date;
}

export interface HistoryFilter {
  creditType?: CreditType;
  operation?: CreditOperation;
  offset: number;
  limit: number;
}

/** Queries of `ai_credit_ledger` (docs/data-model.md §13); every user-owned query takes the user id. */
@Injectable()
export class CreditLedgerRepository {
  /**
   * The per-user ledger lock: every write to a user's lots takes it first, so lots are always
   * locked in the same order (user, then lots) and balances are computed under it. NO KEY UPDATE
   * leaves foreign-key checks of concurrent inserts (KEY SHARE) unblocked.
   */
  async lockUser(manager: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
    return rows.length > 0;
  }

  /** Lots with a usable remainder at `now`, oldest first; `lock` takes their row locks. */
  async openLots(manager: EntityManager, userId: string, now: Date, lock = false): Promise<CreditLot[]> {
    const rows: LotRow[] = await manager.query(`${openLotsOf('$1', '$2')} ${lock ? 'FOR UPDATE' : ''}`, [userId, now]);
    return rows.map(toLot);
  }

  /** Inserts an entry; a grant that hits one of the unique grant indexes is skipped (returns null). */
  async insert(manager: EntityManager, entry: NewLedgerEntry): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `INSERT INTO ai_credit_ledger
         (user_id, credit_type, operation, amount, consumed, status, balance_after, expires_at, grant_date,
          source_id, operation_ref, reservation_id, description, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
       ON CONFLICT DO NOTHING
       RETURNING id`,
      [
        entry.userId,
        entry.creditType,
        entry.operation,
        entry.amount,
        entry.status ?? 'committed',
        entry.balanceAfter,
        entry.expiresAt ?? null,
        entry.grantDate ?? null,
        entry.sourceId ?? null,
        entry.operationRef ?? null,
        entry.reservationId ?? null,
        entry.description.slice(0, 200),
        entry.now,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async addConsumed(manager: EntityManager, lotId: string, delta: number, now: Date): Promise<void> {
    await manager.query('UPDATE ai_credit_ledger SET consumed = consumed + $2, updated_at = $3 WHERE id = $1', [
      lotId,
      delta,
      now,
    ]);
  }

  async dailyLot(
    manager: EntityManager,
    userId: string,
    grantDate: string,
  ): Promise<{ id: string; amount: number } | null> {
    const rows: Array<{ id: string; amount: number }> = await manager.query(
      `SELECT id, amount FROM ai_credit_ledger
       WHERE user_id = $1 AND credit_type = 'daily' AND operation = 'grant' AND grant_date = $2`,
      [userId, grantDate],
    );
    return rows[0] ?? null;
  }

  async raiseLot(manager: EntityManager, lotId: string, amount: number, now: Date): Promise<void> {
    await manager.query('UPDATE ai_credit_ledger SET amount = $2, updated_at = $3 WHERE id = $1 AND amount < $2', [
      lotId,
      amount,
      now,
    ]);
  }

  /** Daily lots whose `expires_at` has passed but are not yet marked expired. */
  async lotsToExpire(manager: EntityManager, now: Date): Promise<Array<{ id: string; userId: string }>> {
    const rows: Array<{ id: string; user_id: string }> = await manager.query(
      `SELECT id, user_id FROM ai_credit_ledger
       WHERE operation = 'grant' AND credit_type = 'daily' AND expired = false AND expires_at <= $1
       ORDER BY expires_at, id`,
      [now],
    );
    return rows.map((row) => ({ id: row.id, userId: row.user_id }));
  }

  /** Marks a lot expired (under its row lock) and returns its unused remainder, or null if already done. */
  async markExpired(manager: EntityManager, userId: string, lotId: string, now: Date): Promise<number | null> {
    const rows = returned<{ remainder: number }>(
      await manager.query(
        `UPDATE ai_credit_ledger SET expired = true, updated_at = $3
         WHERE id = $1 AND user_id = $2 AND expired = false
         RETURNING amount - consumed AS remainder`,
        [lotId, userId, now],
      ),
    );
    return rows.length > 0 ? rows[0].remainder : null;
  }

  /** Users whose effective daily allowance may be > 0 and who have no daily lot for `grantDate`. */
  async dailyGrantCandidates(manager: EntityManager, grantDate: string, proDailyCredits: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT u.id FROM users u
       WHERE (
           (u.tier = 'pro' AND $2::int > 0)
           OR EXISTS (
             SELECT 1 FROM user_achievements ua JOIN achievement_definitions d ON d.id = ua.achievement_id
             WHERE ua.user_id = u.id AND d.perk_type = 'daily_credits' AND d.perk_value > 0)
         )
         AND NOT EXISTS (
           SELECT 1 FROM ai_credit_ledger l
           WHERE l.user_id = u.id AND l.credit_type = 'daily' AND l.operation = 'grant' AND l.grant_date = $1)
       ORDER BY u.id`,
      [grantDate, proDailyCredits],
    );
    return rows.map((row) => row.id);
  }

  /** One page of committed entries, newest first, with the total of the filter (one query). */
  async history(
    manager: EntityManager,
    userId: string,
    filter: HistoryFilter,
  ): Promise<{ rows: LedgerRow[]; total: number }> {
    const conditions = ['user_id = $1', "status = 'committed'"];
    const params: unknown[] = [userId];
    if (filter.creditType) conditions.push(`credit_type = $${params.push(filter.creditType)}`);
    if (filter.operation) conditions.push(`operation = $${params.push(filter.operation)}`);
    const where = conditions.join(' AND ');
    const limit = params.push(filter.limit);
    const offset = params.push(filter.offset);
    const rows: Array<LedgerRow & { total: string }> = await manager.query(
      `SELECT page.*, counted.total FROM (SELECT count(*) AS total FROM ai_credit_ledger WHERE ${where}) counted
       LEFT JOIN LATERAL (
         SELECT id, user_id, credit_type, operation, amount, consumed, balance_after, operation_ref, expires_at, expired,
                source_id, description, created_at
         FROM ai_credit_ledger WHERE ${where}
         ORDER BY created_at DESC, id DESC LIMIT $${limit} OFFSET $${offset}
       ) page ON true`,
      params,
    );
    const total = Number(rows[0]?.total ?? 0);
    return { rows: rows.filter((row) => row.id !== null), total };
  }
}
