import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { DataSource } from 'typeorm';
import { CreditExpired } from './credit.events';
import { CreditLedgerRepository } from './credit-ledger.repository';
import { CreditLedgerService } from './credit-ledger.service';
import { utcDate } from './credit-rules';

/** Pending reservations older than this belong to a crashed request (docs/rules.md §2.6). */
const STALE_RESERVATION_MS = 10 * 60 * 1000;

/** The credit jobs of docs/jobs.md §4; each unit of work is its own transaction, all on the job clock. */
@Injectable()
export class CreditsJobs {
  constructor(
    private readonly ledger: CreditLedgerRepository,
    private readonly credits: CreditLedgerService,
    private readonly uow: UnitOfWork,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Marks daily lots whose `expires_at` passed and writes an `expire` entry for each unused remainder. */
  @JobHandler('credit_expire')
  async expire({ now }: JobContext): Promise<JobResult> {
    let lotsExpired = 0;
    let creditsExpired = 0;
    for (const lot of await this.ledger.lotsToExpire(this.dataSource.manager, now)) {
      await this.uow.run(async (tx) => {
        await this.ledger.lockUser(tx.manager, lot.userId);
        const remainder = await this.ledger.markExpired(tx.manager, lot.userId, lot.id, now);
        if (remainder === null) return;
        lotsExpired++;
        if (remainder <= 0) return;
        creditsExpired += remainder;
        const balance = await this.credits.balance(lot.userId, tx.manager, now);
        await this.ledger.insert(tx.manager, {
          userId: lot.userId,
          creditType: 'daily',
          operation: 'expire',
          amount: -remainder,
          balanceAfter: balance.total,
          sourceId: lot.id,
          operationRef: 'expire',
          description: 'Unused daily credits expired',
          now,
        });
        await tx.emit(
          CreditExpired,
          { amount: remainder, lot_id: lot.id },
          { userId: lot.userId, source: 'system', occurredAt: now },
        );
      });
    }
    return { status: 'success', result: { lots_expired: lotsExpired, credits_expired: creditsExpired } };
  }

  /** Today's daily lot for every user with an allowance > 0 who has none yet. */
  @JobHandler('credit_daily_grant')
  async dailyGrant({ now }: JobContext): Promise<JobResult> {
    let usersGranted = 0;
    let creditsGranted = 0;
    const candidates = await this.ledger.dailyGrantCandidates(
      this.dataSource.manager,
      utcDate(now),
      this.config.PRO_DAILY_CREDITS,
    );
    for (const userId of candidates) {
      const granted = await this.uow.run((tx) => this.credits.ensureDailyGrant(tx, userId, now));
      if (granted > 0) {
        usersGranted++;
        creditsGranted += granted;
      }
    }
    return { status: 'success', result: { users_granted: usersGranted, credits_granted: creditsGranted } };
  }

  /** Releases reservations left pending for more than 10 minutes. */
  @JobHandler('credit_reservation_release')
  async releaseStale({ now }: JobContext): Promise<JobResult> {
    let released = 0;
    let restored = 0;
    const stale = await this.ledger.stalePendingReservations(
      this.dataSource.manager,
      new Date(now.getTime() - STALE_RESERVATION_MS),
    );
    for (const { userId, reservationId } of stale) {
      const credits = await this.uow.run((tx) => this.credits.releaseIn(tx.manager, userId, reservationId, now));
      if (credits > 0) {
        released++;
        restored += credits;
      }
    }
    return { status: 'success', result: { reservations_released: released, credits_restored: restored } };
  }
}
