import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { CreditCarryover, CreditConsumed, CreditGranted } from './credit.events';
import { CreditGrant, grantCredits } from './credit-grants';
import { CreditLedgerRepository } from './credit-ledger.repository';
import {
  allocate,
  balanceOf,
  BalanceByKind,
  byType,
  carryoverCuts,
  nextUtcMidnight,
  runningBalances,
  utcDate,
} from './credit-rules';
import { InsufficientCreditsError } from './credits.errors';

/** A reservation in flight (docs/rules.md §2.6): pending consume entries holding `amount` credits. */
export interface CreditReservation {
  id: string;
  userId: string;
  amount: number;
  operationRef: string;
}

export interface ReserveRequest {
  userId: string;
  amount: number;
  /** e.g. `chat`, `subtask_generation:<task_id>`, `note_conversion:<note_id>`, `voice:<session_id>`. */
  operationRef: string;
  description: string;
  now?: Date;
  /** Reserve under this id (a request's idempotency claim, docs/api.md §1.10) instead of a new one. */
  id?: string;
  /**
   * The id's earlier attempt died after reserving (its claim was taken over): what it left pending
   * is released first, so the retry holds the credits once.
   */
  replacesPending?: boolean;
}

export type GrantRequest = Omit<CreditGrant, 'now'> & { now?: Date };

/**
 * The credit ledger (docs/rules.md §2, docs/data-model.md §13): grants, FIFO consumption through
 * reservations, carry-over, expiry and balances. Every write to a user's lots happens under the
 * user's ledger lock, so a balance can never go negative and a credit can never be spent twice.
 */
@Injectable()
export class CreditLedgerService {
  private readonly logger = new Logger(CreditLedgerService.name);

  constructor(
    private readonly ledger: CreditLedgerRepository,
    private readonly limits: EffectiveLimitsService,
    private readonly uow: UnitOfWork,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Grants a lot inside the caller's transaction (billing: `payment:<id>` subscription and
   * purchase grants). Idempotent on the unique grant indexes: returns the lot id or null.
   */
  grant(tx: Transaction, request: GrantRequest): Promise<string | null> {
    return grantCredits(tx, { ...request, now: request.now ?? new Date() });
  }

  /** The user's balance by kind at `now` (pending reservations count as spent). */
  async balance(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
    now = new Date(),
  ): Promise<BalanceByKind> {
    return balanceOf(await this.ledger.openLots(manager, userId, now), now);
  }

  /** A credit read (docs/rules.md §2.3): today's daily lot is ensured first, then the balance. */
  readBalance(userId: string, now = new Date()): Promise<BalanceByKind> {
    return this.uow.run(async (tx) => {
      await this.ensureDailyGrant(tx, userId, now);
      return this.balance(userId, tx.manager, now);
    });
  }

  /**
   * Creates today's daily lot when it is missing and the allowance is > 0 (the lazy grant of
   * docs/rules.md §2.3, and the `credit_daily_grant` job). Returns the credits granted.
   */
  async ensureDailyGrant(tx: Transaction, userId: string, now: Date): Promise<number> {
    if (await this.ledger.dailyLot(tx.manager, userId, utcDate(now))) return 0;
    const { dailyCredits } = await this.limits.forUser(userId, tx.manager);
    const lotId = await grantCredits(tx, {
      userId,
      creditType: 'daily',
      amount: dailyCredits,
      operationRef: `daily:${utcDate(now)}`,
      description: 'Daily AI credits',
      reason: 'daily',
      now,
      grantDate: utcDate(now),
      expiresAt: nextUtcMidnight(now),
    });
    return lotId ? dailyCredits : 0;
  }

  /**
   * Raises today's daily lot to the current allowance (creating it if absent), e.g. when the user
   * became Pro during the day (docs/rules.md §2.3); `credit.granted` carries the difference. Never
   * shrinks a lot. Returns the credits added.
   */
  async raiseDailyGrant(tx: Transaction, userId: string, now: Date): Promise<number> {
    const granted = await this.ensureDailyGrant(tx, userId, now);
    if (granted > 0) return granted;
    await this.ledger.lockUser(tx.manager, userId);
    const lot = await this.ledger.dailyLot(tx.manager, userId, utcDate(now));
    const { dailyCredits } = await this.limits.forUser(userId, tx.manager);
    if (!lot || lot.amount >= dailyCredits) return 0;
    await this.ledger.raiseLot(tx.manager, lot.id, dailyCredits, now);
    const added = dailyCredits - lot.amount;
    await tx.emit(
      CreditGranted,
      { credit_type: 'daily' as const, amount: added, lot_id: lot.id, reason: 'daily_raise' },
      { userId, source: 'system', occurredAt: now },
    );
    return added;
  }

  /**
   * Carry-over at a renewal (docs/rules.md §2.3): removes subscription credits above `cap`, oldest
   * lots first, with one `carryover` entry per lot. Returns the credits removed.
   */
  async applyCarryover(tx: Transaction, userId: string, cap: number, now: Date): Promise<number> {
    await this.ledger.lockUser(tx.manager, userId);
    const lots = await this.ledger.openLots(tx.manager, userId, now, true);
    const cuts = carryoverCuts(lots, cap, now);
    const balances = runningBalances(
      balanceOf(lots, now).total,
      cuts.map((cut) => -cut.take),
    );
    for (const [index, cut] of cuts.entries()) {
      await this.ledger.addConsumed(tx.manager, cut.lotId, cut.take, now);
      await this.ledger.insert(tx.manager, {
        userId,
        creditType: 'subscription',
        operation: 'carryover',
        amount: -cut.take,
        balanceAfter: balances[index],
        sourceId: cut.lotId,
        operationRef: 'carryover',
        description: `Subscription credits above the carry-over cap of ${cap}`,
        now,
      });
      await tx.emit(
        CreditCarryover,
        { amount: cut.take, lot_id: cut.lotId },
        { userId, source: 'system', occurredAt: now },
      );
    }
    return cuts.reduce((sum, cut) => sum + cut.take, 0);
  }

  /**
   * Reserves `amount` credits FIFO (docs/rules.md §2.2, §2.6) before a provider call (in a request,
   * committed with its idempotency claim, docs/api.md §1.10): the lots are locked, their `consumed` raised and one pending consume entry
   * written per lot. Throws 402 INSUFFICIENT_CREDITS (nothing reserved) when the balance is short.
   */
  async reserve(request: ReserveRequest): Promise<CreditReservation> {
    const now = request.now ?? new Date();
    const reservation: CreditReservation = {
      id: request.id ?? randomUUID(),
      userId: request.userId,
      amount: request.amount,
      operationRef: request.operationRef,
    };
    await this.uow.run((tx) => this.ensureDailyGrant(tx, request.userId, now));
    if (request.amount <= 0) return reservation;
    await this.uow.run(async (tx) => {
      await this.ledger.lockUser(tx.manager, request.userId);
      if (request.replacesPending) await this.releaseIn(tx.manager, request.userId, reservation.id, now);
      const lots = await this.ledger.openLots(tx.manager, request.userId, now, true);
      const available = balanceOf(lots, now).total;
      const takes = allocate(lots, request.amount, now);
      if (!takes) throw new InsufficientCreditsError(request.amount, available);
      const balances = runningBalances(
        available,
        takes.map((take) => -take.take),
      );
      for (const [index, take] of takes.entries()) {
        await this.ledger.addConsumed(tx.manager, take.lotId, take.take, now);
        await this.ledger.insert(tx.manager, {
          userId: request.userId,
          creditType: take.creditType,
          operation: 'consume',
          status: 'pending',
          amount: -take.take,
          balanceAfter: balances[index],
          sourceId: take.lotId,
          operationRef: request.operationRef,
          reservationId: reservation.id,
          description: request.description,
          now,
        });
      }
    });
    return reservation;
  }

  /**
   * Commits a reservation inside the caller's transaction (with the use case's own event) and
   * emits `credit.consumed`. Returns the credits charged: 0 when nothing was pending any more
   * (e.g. released by `credit_reservation_release` after a very slow provider).
   */
  async commit(tx: Transaction, reservation: CreditReservation, now = new Date()): Promise<number> {
    if (reservation.amount <= 0) return 0;
    const entries = await this.ledger.commitReservation(tx.manager, reservation.userId, reservation.id, now);
    const charged = entries.reduce((sum, entry) => sum + entry.credits, 0);
    if (charged === 0) {
      this.logger.warn(`reservation ${reservation.id} was no longer pending at commit; nothing charged`);
      return 0;
    }
    await tx.emit(
      CreditConsumed,
      {
        amount: charged,
        operation_ref: reservation.operationRef,
        by_type: byType(
          entries.map((entry) => ({ lotId: entry.sourceId, creditType: entry.creditType, take: entry.credits })),
        ),
        reservation_id: reservation.id,
      },
      { userId: reservation.userId, source: 'ai', occurredAt: now },
    );
    return charged;
  }

  /** Releases a reservation completely: lots restored, pending entries removed. Returns the credits restored. */
  release(reservation: Pick<CreditReservation, 'id' | 'userId'>, now = new Date()): Promise<number> {
    return this.uow.run((tx) => this.releaseIn(tx.manager, reservation.userId, reservation.id, now));
  }

  /** Releases inside the caller's transaction (the `credit_reservation_release` job). */
  async releaseIn(manager: EntityManager, userId: string, reservationId: string, now: Date): Promise<number> {
    await this.ledger.lockUser(manager, userId);
    const entries = await this.ledger.deleteReservation(manager, userId, reservationId);
    for (const entry of entries) await this.ledger.addConsumed(manager, entry.sourceId, -entry.credits, now);
    return entries.reduce((sum, entry) => sum + entry.credits, 0);
  }
}
