import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Transaction } from '@app/core/events/transaction';
import { RunBatch, RunSize } from '@app/core/jobs/batched-job.decorator';
import { BatchCounts, BatchedRuns } from '@app/core/jobs/batched-runs';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import type { KeyRange } from '@app/core/jobs/key-ranges';
import { StreakReset } from './achievement.events';
import { addDays, utcDate } from './achievement-rules';
import { AchievementsRepository } from './achievements.repository';

/** Streaks whose last completion day is before this day are broken (`isStreakBroken`: neither today nor yesterday). */
const brokenBefore = (now: Date): string => addDays(utcDate(now), -1);

@Injectable()
export class StreakJobs {
  constructor(
    private readonly runs: BatchedRuns,
    private readonly achievements: AchievementsRepository,
  ) {}

  @RunSize('streak_calculate')
  brokenStreaks(manager: EntityManager, now: Date): Promise<number> {
    return this.achievements.brokenStreakCount(manager, brokenBefore(now));
  }

  @RunBatch('streak_calculate')
  async resetBatch(tx: Transaction, range: KeyRange, now: Date): Promise<BatchCounts> {
    const reset = await this.achievements.resetStreaksEndedBefore(tx.manager, range, brokenBefore(now), now);
    await tx.emitAll(
      StreakReset,
      reset.map(({ userId, previousStreak }) => ({
        payload: { previous_streak: previousStreak },
        options: { userId, source: 'system' as const, occurredAt: now },
      })),
    );
    return { users_checked: reset.length, streaks_reset: reset.length };
  }

  /**
   * docs/jobs.md §4 `streak_calculate`: resets streaks whose last completion day is before yesterday
   * (UTC of the job clock), by batches of users (docs/jobs-batches.md). Each batch re-checks its
   * users under their state locks, so reruns change nothing.
   */
  @JobHandler('streak_calculate')
  async resetBrokenStreaks({ now }: JobContext): Promise<JobResult> {
    return {
      status: 'success',
      result: await this.runs.run('streak_calculate', now, { users_checked: 0, streaks_reset: 0 }),
    };
  }
}
