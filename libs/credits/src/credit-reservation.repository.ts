import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CreditType, UserTier } from '@app/core/database/enums';
import { namedStatement, runNamed, StatementPart } from '@app/core/database/named-statement';
import type { ActivityRow } from '@app/core/events/domain-event';
import type { PerkTotals } from '@app/limits/tier-limits';
import { LotRow, openLotsOf, returned, toLot } from './credit-lot-rows';
import type { CreditLot, LotTake } from './credit-rules';

export interface ReservedEntry {
  sourceId: string;
  creditType: CreditType;
  /** Positive number of credits the entry holds. */
  credits: number;
  operationRef: string | null;
}

/** What a reservation decides on, read under the user's ledger lock (see {@link CreditReservationRepository.lockedState}). */
export interface LockedCreditState {
  tier: UserTier;
  /** The user's perk totals (docs/rules.md §1). */
  perks: PerkTotals;
  /** Today's daily lot exists. */
  dailyGranted: boolean;
  lots: CreditLot[];
}

/** A reservation's consume entry: the take of one lot and the balance after it. */
export interface ReservedTake extends LotTake {
  balanceAfter: number;
}

const STATEMENTS = {
  /**
   * The user row locked (the ledger lock; no row: the user is gone), the tier and perk totals
   * (as `user_limits` of libs/limits reads them), whether today's daily lot exists, and the open lots locked, one row per lot (docs/round-trips.md §6).
   */
  lockedState: namedStatement(
    'credit_state_locked',
    `WITH u AS MATERIALIZED (SELECT id, tier FROM users WHERE id = $1 FOR NO KEY UPDATE),
     s AS MATERIALIZED (
       SELECT u.id, u.tier, p.max_tasks, p.max_notes, p.daily_credits,
         EXISTS (SELECT 1 FROM ai_credit_ledger
                 WHERE user_id = u.id AND credit_type = 'daily' AND operation = 'grant' AND grant_date = $2::date) AS daily_granted
       FROM u, LATERAL (
         SELECT COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'max_tasks'), 0)::int AS max_tasks,
           COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'max_notes'), 0)::int AS max_notes,
           COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'daily_credits'), 0)::int AS daily_credits
         FROM user_achievements ua JOIN achievement_definitions d ON d.id = ua.achievement_id
         WHERE ua.user_id = u.id) p)
     SELECT s.tier, s.max_tasks, s.max_notes, s.daily_credits, s.daily_granted, l.id, l.credit_type, l.amount, l.consumed, l.created_at, l.expires_at, l.expired
     FROM s LEFT JOIN LATERAL (${openLotsOf('s.id', '$3::timestamptz')} FOR UPDATE) l ON true`,
  ),
  /**
   * Commits a reservation's pending entries and, when they hold the `expected` credits, writes
   * the `credit.consumed` activity entry; returns the entries and the open lots (the balance).
   */
  charge: namedStatement(
    'credit_reservation_charge',
    `WITH committed AS (
       UPDATE ai_credit_ledger SET status = 'committed', updated_at = $3::timestamptz
       WHERE user_id = $1::uuid AND reservation_id = $2::uuid AND status = 'pending'
       RETURNING source_id, credit_type, amount, operation_ref),
     activity AS (
       INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)
       SELECT $5::uuid, $6::text, $7::text, $8::text, $9::text, $10::jsonb, $11::text, $12::timestamptz
       WHERE $8::text IS NOT NULL AND (SELECT COALESCE(SUM(-amount), 0) FROM committed) = $4::int)
     SELECT (SELECT COALESCE(json_agg(json_build_object('source_id', source_id, 'credit_type', credit_type, 'amount', amount,
               'operation_ref', operation_ref)), '[]')
             FROM committed) AS entries,
            (SELECT COALESCE(json_agg(lot), '[]') FROM (${openLotsOf('$1::uuid', '$3::timestamptz')}) lot) AS lots`,
  ),
};

/** The reservation statements of `ai_credit_ledger` (docs/rules.md §2.6, docs/round-trips.md §6): reserve, charge, release. */
@Injectable()
export class CreditReservationRepository {
  /** The state a reservation decides on, in one statement; null when the user is gone. */
  async lockedState(
    manager: EntityManager,
    userId: string,
    grantDate: string,
    now: Date,
  ): Promise<LockedCreditState | null> {
    const rows = await runNamed<
      PerkTotals & { tier: UserTier; daily_granted: boolean } & { [K in keyof LotRow]: LotRow[K] | null }
    >(manager, STATEMENTS.lockedState, [userId, grantDate, now]);
    if (rows.length === 0) return null;
    const [{ tier, max_tasks, max_notes, daily_credits, daily_granted: dailyGranted }] = rows;
    const lots = rows.filter((row): row is typeof row & LotRow => row.id !== null).map(toLot);
    return { tier, perks: { max_tasks, max_notes, daily_credits }, dailyGranted, lots };
  }

  /**
   * A reservation's writes (docs/rules.md §2.6): each lot's `consumed` raised by its take and one
   * pending consume entry per lot, in take order; carried by the request's claim (docs/round-trips.md §6).
   */
  reservationWrites(
    reservation: { id: string; userId: string; operationRef: string },
    takes: readonly ReservedTake[],
    description: string,
    now: Date,
  ): StatementPart {
    return {
      name: 'credit_reserve',
      ctes: `takes AS (
          SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[]) WITH ORDINALITY
            AS t(lot_id, credit_type, take, balance_after, n)),
        consumed AS (
          UPDATE ai_credit_ledger l SET consumed = l.consumed + t.take, updated_at = $5::timestamptz
          FROM takes t WHERE l.id = t.lot_id),
        pending AS (
          INSERT INTO ai_credit_ledger (user_id, credit_type, operation, amount, consumed, status, balance_after,
            source_id, operation_ref, reservation_id, description, created_at, updated_at)
          SELECT $6::uuid, t.credit_type, 'consume', -t.take, 0, 'pending', t.balance_after, t.lot_id, $7::text,
            $8::uuid, $9::text, $5::timestamptz, $5::timestamptz
          FROM takes t ORDER BY t.n)`,
      values: [
        takes.map((take) => take.lotId),
        takes.map((take) => take.creditType),
        takes.map((take) => take.take),
        takes.map((take) => take.balanceAfter),
        now,
        reservation.userId,
        reservation.operationRef,
        reservation.id,
        description.slice(0, 200),
      ],
    };
  }

  /**
   * Commits a reservation's pending entries, with `activity` (its `credit.consumed` entry) written
   * only if they hold `expected` credits; returns them and the open lots after it.
   */
  async charge(
    manager: EntityManager,
    reservation: { id: string; userId: string },
    expected: number,
    activity: ActivityRow | null,
    now: Date,
  ): Promise<{ entries: ReservedEntry[]; lots: CreditLot[] }> {
    const activityValues = activity
      ? [
          activity.userId,
          activity.entityType,
          activity.entityId,
          activity.action,
          activity.source,
          activity.metadata,
          activity.requestId,
          activity.createdAt,
        ]
      : Array<null>(8).fill(null);
    const [row] = await runNamed<{
      entries: Array<{ source_id: string; credit_type: CreditType; amount: number; operation_ref: string | null }>;
      lots: LotRow[];
    }>(manager, STATEMENTS.charge, [reservation.userId, reservation.id, now, expected, ...activityValues]);
    return {
      entries: row.entries.map((entry) => ({
        sourceId: entry.source_id,
        creditType: entry.credit_type,
        credits: -entry.amount,
        operationRef: entry.operation_ref,
      })),
      lots: row.lots.map(toLot),
    };
  }

  /** Deletes a reservation's pending entries and returns them (their lots are restored by the caller). */
  async deleteReservation(manager: EntityManager, userId: string, reservationId: string): Promise<ReservedEntry[]> {
    const rows = returned<{ source_id: string; credit_type: CreditType; amount: number; operation_ref: string | null }>(
      await manager.query(
        `DELETE FROM ai_credit_ledger WHERE user_id = $1 AND reservation_id = $2 AND status = 'pending'
         RETURNING source_id, credit_type, amount, operation_ref`,
        [userId, reservationId],
      ),
    );
    return rows.map((row) => ({
      sourceId: row.source_id,
      creditType: row.credit_type,
      credits: -row.amount,
      operationRef: row.operation_ref,
    }));
  }
}
