import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import { BatchedRuns } from '@app/core/jobs/batched-runs';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
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
export class CreditsJobs implements OnModuleInit {
  constructor(
    private readonly batches: CreditBatchRepository,
    private readonly runs: BatchedRuns,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.runs.register('credit_expire', {
      size: (manager, now) => this.batches.expirySize(manager, now),
      batch: async (tx, range, now) => {
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
      },
    });
    this.runs.register('credit_daily_grant', {
      size: (manager) => this.batches.dailyGrantSize(manager, this.config.PRO_DAILY_CREDITS),
      batch: async (tx, range, now) => {
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
      },
    });
    this.runs.register('credit_reservation_release', {
      size: (manager, now) => this.batches.staleReservationSize(manager, staleBefore(now)),
      batch: async (tx, range, now) => {
        const released = (await this.batches.releaseStale(tx.manager, range, staleBefore(now), now)).filter(
          (reservation) => reservation.credits > 0,
        );
        return {
          reservations_released: released.length,
          credits_restored: sum(released.map((reservation) => reservation.credits)),
        };
      },
    });
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
