import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { KeyRange } from '@app/core/jobs/key-ranges';

/** TypeORM answers `[rows, affected]` for UPDATE/DELETE … RETURNING and plain rows otherwise. */
function rowsOf<T>(result: T[] | [T[], number]): T[] {
  return Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

/** `u.id` within the batch's key range ($1, $2). */
const IN_RANGE = `u.id >= $1::uuid AND ($2::uuid IS NULL OR u.id < $2::uuid)`;

/** A user's usable balance at `$now` (docs/rules.md §2: unexpired lots' unconsumed remainders), per `u.id`. */
const balanceAt = (now: string): string => `COALESCE((
  SELECT SUM(l.amount - l.consumed) FROM ai_credit_ledger l
  WHERE l.user_id = u.id AND l.operation = 'grant' AND l.expired = false AND l.consumed < l.amount
    AND (l.expires_at IS NULL OR l.expires_at > ${now})), 0)::int`;

/** The daily-credit perks of `u.id`'s unlocked achievements. */
const DAILY_PERKS = `COALESCE((
  SELECT SUM(d.perk_value) FROM user_achievements ua JOIN achievement_definitions d ON d.id = ua.achievement_id
  WHERE ua.user_id = u.id AND d.perk_type = 'daily_credits'), 0)::int`;

export interface GrantedLot {
  lotId: string;
  userId: string;
  amount: number;
}

export interface ExpiredLot {
  lotId: string;
  userId: string;
  remainder: number;
}

export interface ReleasedReservation {
  userId: string;
  reservationId: string;
  credits: number;
}

/**
 * The set-based statements of the credit jobs (docs/jobs.md §4): one batch of users (a key range) at a
 * time, a few statements per batch, with the same rows the per-user code paths write. Each batch
 * first takes the ledger lock of its users (as every ledger write does), then writes.
 */
@Injectable()
export class CreditBatchRepository {
  /** Users with an allowance that may be > 0 and no daily lot for `grantDate` (cheap upper bound). */
  async dailyGrantSize(manager: EntityManager, proDailyCredits: number): Promise<number> {
    const [row]: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM users
       WHERE (tier = 'pro' AND $1::int > 0)
          OR id IN (SELECT ua.user_id FROM user_achievements ua JOIN achievement_definitions d ON d.id = ua.achievement_id
                    WHERE d.perk_type = 'daily_credits' AND d.perk_value > 0)`,
      [proDailyCredits],
    );
    return row.count;
  }

  /**
   * Today's daily lot for every user of the range whose allowance (Pro base + perks) is > 0 and who
   * has none yet: `balance_after` = balance + allowance, as `grantCredits` writes it. The unique
   * (user, day) index skips a lot a lazy grant created meanwhile.
   */
  async grantDaily(
    manager: EntityManager,
    range: KeyRange,
    grant: { grantDate: string; expiresAt: Date; proDailyCredits: number; now: Date },
  ): Promise<GrantedLot[]> {
    const users = await this.lockUsers(
      manager,
      range,
      `((u.tier = 'pro' AND $3::int > 0) OR EXISTS (
          SELECT 1 FROM user_achievements ua JOIN achievement_definitions d ON d.id = ua.achievement_id
          WHERE ua.user_id = u.id AND d.perk_type = 'daily_credits' AND d.perk_value > 0))
        AND NOT EXISTS (SELECT 1 FROM ai_credit_ledger l
          WHERE l.user_id = u.id AND l.credit_type = 'daily' AND l.operation = 'grant' AND l.grant_date = $4)`,
      [grant.proDailyCredits, grant.grantDate],
    );
    if (users.length === 0) return [];
    const rows: Array<{ id: string; user_id: string; amount: number }> = await manager.query(
      `INSERT INTO ai_credit_ledger
         (user_id, credit_type, operation, amount, consumed, status, balance_after, expires_at, grant_date,
          operation_ref, description, created_at, updated_at)
       SELECT c.id, 'daily', 'grant', c.allowance, 0, 'committed', c.balance + c.allowance, $3::timestamptz,
              $2::date, 'daily:' || $2::text, 'Daily AI credits', $4::timestamptz, $4::timestamptz
       FROM (
         SELECT u.id, (CASE WHEN u.tier = 'pro' THEN $5::int ELSE 0 END + ${DAILY_PERKS}) AS allowance,
                ${balanceAt('$4::timestamptz')} AS balance
         FROM users u WHERE u.id = ANY($1::uuid[])
       ) c
       WHERE c.allowance > 0
       ORDER BY c.id
       ON CONFLICT DO NOTHING
       RETURNING id, user_id, amount`,
      [users, grant.grantDate, grant.expiresAt, grant.now, grant.proDailyCredits],
    );
    return rows.map((row) => ({ lotId: row.id, userId: row.user_id, amount: row.amount }));
  }

  /** Unexpired daily lots (an upper bound of the lots `credit_expire` may touch). */
  async expirySize(manager: EntityManager, now: Date): Promise<number> {
    const [row]: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM ai_credit_ledger
       WHERE credit_type = 'daily' AND operation = 'grant' AND expired = false AND expires_at <= $1`,
      [now],
    );
    return row.count;
  }

  /**
   * Marks the range's daily lots whose `expires_at` passed as expired and writes one `expire`
   * entry per unused remainder, in one statement. Its `balance_after` is the balance at `now`,
   * which counts no lot expiring at `now` either way. The users are joined by the expired lots'
   * keys (not by the batch's list, which a batch's share of the table makes a sequential scan).
   */
  async expireDaily(manager: EntityManager, range: KeyRange, now: Date): Promise<ExpiredLot[]> {
    const users = await this.lockUsers(
      manager,
      range,
      `EXISTS (SELECT 1 FROM ai_credit_ledger l WHERE l.user_id = u.id AND l.credit_type = 'daily'
               AND l.operation = 'grant' AND l.expired = false AND l.expires_at <= $3)`,
      [now],
    );
    if (users.length === 0) return [];
    const rows: Array<{ id: string; user_id: string; remainder: number }> = await manager.query(
      `WITH expired AS (
         UPDATE ai_credit_ledger SET expired = true, updated_at = $2
         WHERE user_id = ANY($1::uuid[]) AND credit_type = 'daily' AND operation = 'grant' AND expired = false
           AND expires_at <= $2
         RETURNING id, user_id, amount - consumed AS remainder, expires_at
       ), entries AS (
         INSERT INTO ai_credit_ledger
           (user_id, credit_type, operation, amount, consumed, status, balance_after, source_id, operation_ref,
            description, created_at, updated_at)
         SELECT e.user_id, 'daily', 'expire', -e.remainder, 0, 'committed', ${balanceAt('$2')}, e.id, 'expire',
                'Unused daily credits expired', $2, $2
         FROM expired e JOIN users u ON u.id = e.user_id
         WHERE e.remainder > 0
         ORDER BY e.expires_at, e.id
       )
       SELECT id, user_id, remainder FROM expired ORDER BY expires_at, id`,
      [users, now],
    );
    return rows.map((row) => ({ lotId: row.id, userId: row.user_id, remainder: row.remainder }));
  }

  /** Pending reservation entries made before `before`. */
  async staleReservationSize(manager: EntityManager, before: Date): Promise<number> {
    const [row]: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM ai_credit_ledger
       WHERE status = 'pending' AND created_at < $1 AND reservation_id IS NOT NULL`,
      [before],
    );
    return row.count;
  }

  /**
   * Releases the range's reservations still pending since before `before` (crashed requests):
   * their pending entries removed and their lots' `consumed` lowered by what they held.
   */
  async releaseStale(manager: EntityManager, range: KeyRange, before: Date, now: Date): Promise<ReleasedReservation[]> {
    const stale = (before: string): string =>
      `l.status = 'pending' AND l.created_at < ${before} AND l.reservation_id IS NOT NULL`;
    const users = await this.lockUsers(
      manager,
      range,
      `EXISTS (SELECT 1 FROM ai_credit_ledger l WHERE l.user_id = u.id AND ${stale('$3')})`,
      [before],
    );
    if (users.length === 0) return [];
    const rows = rowsOf<{ user_id: string; reservation_id: string; credits: number }>(
      await manager.query(
        `WITH stale AS (
           SELECT DISTINCT l.user_id, l.reservation_id FROM ai_credit_ledger l
           WHERE l.user_id = ANY($1::uuid[]) AND ${stale('$2')}
         ), deleted AS (
           DELETE FROM ai_credit_ledger l USING stale s
           WHERE l.user_id = s.user_id AND l.reservation_id = s.reservation_id AND l.status = 'pending'
           RETURNING l.user_id, l.reservation_id, l.source_id, -l.amount AS credits
         ), restored AS (
           UPDATE ai_credit_ledger lot SET consumed = lot.consumed - d.credits, updated_at = $3
           FROM (SELECT source_id, SUM(credits)::int AS credits FROM deleted GROUP BY source_id) d
           WHERE lot.id = d.source_id
         )
         SELECT user_id, reservation_id, SUM(credits)::int AS credits FROM deleted
         GROUP BY user_id, reservation_id ORDER BY user_id, reservation_id`,
        [users, before, now],
      ),
    );
    return rows.map((row) => ({ userId: row.user_id, reservationId: row.reservation_id, credits: row.credits }));
  }

  /**
   * The ledger lock (`CreditLedgerRepository.lockUser`) of the range's users matching `condition`
   * (parameters from $3), in id order; returns their ids.
   */
  private async lockUsers(
    manager: EntityManager,
    range: KeyRange,
    condition: string,
    params: unknown[],
  ): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT u.id FROM users u WHERE ${IN_RANGE} AND ${condition} ORDER BY u.id FOR NO KEY UPDATE`,
      [range.from, range.to, ...params],
    );
    return rows.map((row) => row.id);
  }
}
