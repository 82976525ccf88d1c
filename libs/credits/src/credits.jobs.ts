import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import type { Transaction } from '@app/core/events/transaction';
import { RunBatch, RunSize } from '@app/core/jobs/batched-job.decorator';
import { BatchCounts, BatchedRuns } from '@app/core/jobs/batched-runs';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import type { KeyRange } from '@app/core/jobs/key-ranges';
import { CreditExpired, CreditGranted } from './credit.events';
import { CreditBatchRepository } from './credit-batch.repository';
import { nextUtcMidnight, utcDate } from './credit-rules';

/** Pending reservations older than this belong to a crashed request (docs/rules.md §2.6). */
const STALE_RESERVATION_MS = 10 * 60 * 1000;

const staleBefore = (now: Date): Date => new Date(now.getTime() - STALE_RESERVATION_MS);

/**
 * The credit jobs of docs/jobs.md §4, set-based: users are handled in batches of keys, each batch one
 * transaction of a few statements (docs/jobs-batches.md), all on the job clock.
 */
@Injectable()
export class CreditsJobs {
  constructor(
    private readonly batches: CreditBatchRepository,
    private readonly runs: BatchedRuns,
    private readonly config: AppConfig,
  ) {}

  @RunSize('credit_expire')
  expirySize(manager: EntityManager, now: Date): Promise<number> {
    return this.batches.expirySize(manager, now);
  }

  @RunBatch('credit_expire')
  async expireBatch(tx: Transaction, range: KeyRange, now: Date): Promise<BatchCounts> {
    const lots = await this.batches.expireDaily(tx.manager, range, now);
    const unused = lots.filter((lot) => lot.remainder > 0);
    await tx.emitAll(
      CreditExpired,
      unused.map((lot) => ({
        payload: { amount: lot.remainder, lot_id: lot.lotId },
        options: { userId: lot.userId, source: 'system' as const, occurredAt: now },
      })),
    );
    return { lots_expired: lots.length, credits_expired: sum(unused.map((lot) => lot.remainder)) };
  }

  @RunSize('credit_daily_grant')
  dailyGrantSize(manager: EntityManager): Promise<number> {
    return this.batches.dailyGrantSize(manager, this.config.PRO_DAILY_CREDITS);
  }

  @RunBatch('credit_daily_grant')
  async dailyGrantBatch(tx: Transaction, range: KeyRange, now: Date): Promise<BatchCounts> {
    const lots = await this.batches.grantDaily(tx.manager, range, {
      grantDate: utcDate(now),
      expiresAt: nextUtcMidnight(now),
      proDailyCredits: this.config.PRO_DAILY_CREDITS,
      now,
    });
    await tx.emitAll(
      CreditGranted,
      lots.map((lot) => ({
        payload: { credit_type: 'daily' as const, amount: lot.amount, lot_id: lot.lotId, reason: 'daily' },
        options: { userId: lot.userId, source: 'system' as const, occurredAt: now },
      })),
    );
    return { users_granted: lots.length, credits_granted: sum(lots.map((lot) => lot.amount)) };
  }

  @RunSize('credit_reservation_release')
  staleReservationSize(manager: EntityManager, now: Date): Promise<number> {
    return this.batches.staleReservationSize(manager, staleBefore(now));
  }

  @RunBatch('credit_reservation_release')
  async releaseBatch(tx: Transaction, range: KeyRange, now: Date): Promise<BatchCounts> {
    const released = (await this.batches.releaseStale(tx.manager, range, staleBefore(now), now)).filter(
      (reservation) => reservation.credits > 0,
    );
    return {
      reservations_released: released.length,
      credits_restored: sum(released.map((reservation) => reservation.credits)),
    };
  }

  /** Marks daily lots whose `expires_at` passed and writes an `expire` entry for each unused remainder. */
  @JobHandler('credit_expire')
  async expire({ now }: JobContext): Promise<JobResult> {
    return this.batched('credit_expire', now, { lots_expired: 0, credits_expired: 0 });
  }

  /** Today's daily lot for every user with an allowance > 0 who has none yet. */
  @JobHandler('credit_daily_grant')
  async dailyGrant({ now }: JobContext): Promise<JobResult> {
    return this.batched('credit_daily_grant', now, { users_granted: 0, credits_granted: 0 });
  }

  /** Releases reservations left pending for more than 10 minutes. */
  @JobHandler('credit_reservation_release')
  async releaseStale({ now }: JobContext): Promise<JobResult> {
    return this.batched('credit_reservation_release', now, { reservations_released: 0, credits_restored: 0 });
  }

  private async batched(
    name: 'credit_expire' | 'credit_daily_grant' | 'credit_reservation_release',
    now: Date,
    zero: Record<string, number>,
  ): Promise<JobResult> {
    return { status: 'success', result: await this.runs.run(name, now, zero) };
  }
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
