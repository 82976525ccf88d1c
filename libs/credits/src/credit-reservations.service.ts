import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { effectiveLimits, tierLimits } from '@app/limits/tier-limits';
import { AppConfig } from '@app/core/config/app-config';
import { runPart, StatementPart } from '@app/core/database/named-statement';
import { NotFoundError } from '@app/core/errors/domain-error';
import { activityRowOf } from '@app/core/events/domain-event';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { CreditConsumed } from './credit.events';
import { CreditLedgerRepository } from './credit-ledger.repository';
import { CreditLedgerService } from './credit-ledger.service';
import { CreditReservationRepository } from './credit-reservation.repository';
import {
  allocate,
  balanceOf,
  BalanceByKind,
  byType,
  CreditLot,
  LotTake,
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
  /** The lots it holds credits of, FIFO: what `credit.consumed` reports once it is charged. */
  takes: LotTake[];
}

/** A committed reservation: the credits charged and the balance after it. */
export interface Charge {
  charged: number;
  balance: BalanceByKind;
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

/**
 * The reservation lifecycle of the credit ledger (docs/rules.md §2.6): reserve (before an outside
 * call or on its own), charge or commit, release. Like every write to a user's lots, it runs under
 * the user's ledger lock.
 */
@Injectable()
export class CreditReservationsService {
  private readonly logger = new Logger(CreditReservationsService.name);

  constructor(
    private readonly ledger: CreditLedgerRepository,
    private readonly reservations: CreditReservationRepository,
    private readonly credits: CreditLedgerService,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  /**
   * Reserves `amount` credits FIFO (docs/rules.md §2.2, §2.6): the lots are locked, their `consumed`
   * raised and one pending consume entry written per lot. Throws 402 INSUFFICIENT_CREDITS (nothing
   * reserved) when the balance is short.
   */
  reserve(request: ReserveRequest): Promise<CreditReservation> {
    return this.uow.run(async (tx) => {
      const { reservation, writes } = await this.prepareReservation(tx, request);
      if (writes) await runPart(tx.manager, writes);
      return reservation;
    });
  }

  /**
   * {@link reserve} right before an outside provider call: in a request, the reservation's writes
   * go in the statement of its idempotency claim and commit with it (docs/api.md §1.10,
   * docs/round-trips.md §6).
   */
  reserveBeforeOutsideCall(request: ReserveRequest): Promise<CreditReservation> {
    return this.uow.run(async (tx) => {
      const { reservation, writes } = await this.prepareReservation(tx, request);
      await this.uow.commitBeforeOutsideCall(writes ? { tx, part: writes } : undefined);
      return reservation;
    });
  }

  /**
   * Everything of a reservation up to its writes, in one statement on the usual path: the user's
   * ledger lock, today's daily lot (granted first when missing, docs/rules.md §2.3) and the lots.
   */
  private async prepareReservation(
    tx: Transaction,
    request: ReserveRequest,
  ): Promise<{ reservation: CreditReservation; writes: StatementPart | null }> {
    const now = request.now ?? new Date();
    const { userId, amount } = request;
    const reservation: CreditReservation = {
      id: request.id ?? randomUUID(),
      userId,
      amount,
      operationRef: request.operationRef,
      takes: [],
    };
    let lots = await this.lockedLots(tx, userId, now);
    if (amount <= 0) return { reservation, writes: null };
    if (request.replacesPending) {
      await this.releaseIn(tx.manager, userId, reservation.id, now);
      lots = await this.ledger.openLots(tx.manager, userId, now, true);
    }
    const available = balanceOf(lots, now).total;
    const takes = allocate(lots, amount, now);
    if (!takes) throw new InsufficientCreditsError(amount, available);
    const balances = runningBalances(
      available,
      takes.map((take) => -take.take),
    );
    reservation.takes = takes;
    const reserved = takes.map((take, index) => ({ ...take, balanceAfter: balances[index] }));
    return {
      reservation,
      writes: this.reservations.reservationWrites(reservation, reserved, request.description, now),
    };
  }

  /** The open lots under the user's ledger lock, today's daily lot ensured; 404 when the user is gone. */
  private async lockedLots(tx: Transaction, userId: string, now: Date): Promise<CreditLot[]> {
    const state = await this.reservations.lockedState(tx.manager, userId, utcDate(now), now);
    if (!state) throw new NotFoundError('User');
    if (state.dailyGranted) return state.lots;
    const { dailyCredits } = effectiveLimits(tierLimits(state.tier, this.config.PRO_DAILY_CREDITS), state.perks);
    if ((await this.credits.grantDaily(tx, userId, dailyCredits, now)) === 0) return state.lots;
    return this.ledger.openLots(tx.manager, userId, now, true);
  }

  /**
   * Commits a reservation inside the caller's transaction (with the use case's own event) and
   * emits `credit.consumed`, whose activity entry the commit's statement writes. Charges 0 when
   * nothing was pending any more (e.g. released by `credit_reservation_release` after a very slow
   * provider). The balance after it comes from the same statement.
   */
  async charge(tx: Transaction, reservation: CreditReservation, now = new Date()): Promise<Charge> {
    const { userId } = reservation;
    if (reservation.amount <= 0) return { charged: 0, balance: await this.credits.balance(userId, tx.manager, now) };
    const options = { userId, source: 'ai' as const, occurredAt: now };
    const consumed = (entries: readonly LotTake[]) => ({
      amount: entries.reduce((sum, entry) => sum + entry.take, 0),
      operation_ref: reservation.operationRef,
      by_type: byType(entries),
      reservation_id: reservation.id,
    });
    const expected = tx.prepare(CreditConsumed, consumed(reservation.takes), options);
    const { entries, lots } = await this.reservations.charge(
      tx.manager,
      reservation,
      reservation.amount,
      activityRowOf(CreditConsumed, expected),
      now,
    );
    const balance = balanceOf(lots, now);
    const charged = entries.reduce((sum, entry) => sum + entry.credits, 0);
    if (charged === 0) {
      this.logger.warn(`reservation ${reservation.id} was no longer pending at commit; nothing charged`);
      return { charged: 0, balance };
    }
    if (charged === reservation.amount) await tx.emitWritten(CreditConsumed, expected);
    else {
      const takes = entries.map((entry) => ({
        lotId: entry.sourceId,
        creditType: entry.creditType,
        take: entry.credits,
      }));
      await tx.emit(CreditConsumed, consumed(takes), options);
    }
    return { charged, balance };
  }

  /** {@link charge} for callers that read the balance themselves (a voice session's reservations). Returns the credits charged. */
  async commit(tx: Transaction, reservation: CreditReservation, now = new Date()): Promise<number> {
    return (await this.charge(tx, reservation, now)).charged;
  }

  /** Releases a reservation completely: lots restored, pending entries removed. Returns the credits restored. */
  release(reservation: Pick<CreditReservation, 'id' | 'userId'>, now = new Date()): Promise<number> {
    return this.uow.run((tx) => this.releaseIn(tx.manager, reservation.userId, reservation.id, now));
  }

  /** Releases inside the caller's transaction (the `credit_reservation_release` job). */
  async releaseIn(manager: EntityManager, userId: string, reservationId: string, now: Date): Promise<number> {
    await this.ledger.lockUser(manager, userId);
    const entries = await this.reservations.deleteReservation(manager, userId, reservationId);
    for (const entry of entries) await this.ledger.addConsumed(manager, entry.sourceId, -entry.credits, now);
    return entries.reduce((sum, entry) => sum + entry.credits, 0);
  }
}
