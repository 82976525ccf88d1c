import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { CreditCarryover, CreditGranted } from './credit.events';
import { CreditGrant, grantCredits } from './credit-grants';
import { CreditLedgerRepository } from './credit-ledger.repository';
import { balanceOf, BalanceByKind, carryoverCuts, nextUtcMidnight, runningBalances, utcDate } from './credit-rules';

export type GrantRequest = Omit<CreditGrant, 'now'> & { now?: Date };

/**
 * The credit ledger (docs/rules.md §2, docs/data-model.md §13): grants, carry-over and balances;
 * FIFO consumption through reservations is `CreditReservationsService`'s. Every write to a
 * user's lots happens under the user's ledger lock, so a balance can never go negative and a
 * credit can never be spent twice.
 */
@Injectable()
export class CreditLedgerService {
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
    return this.grantDaily(tx, userId, dailyCredits, now);
  }

  /** Grants today's daily lot of `dailyCredits` (also right before a reservation); returns the credits granted. */
  async grantDaily(tx: Transaction, userId: string, dailyCredits: number, now: Date): Promise<number> {
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
}
