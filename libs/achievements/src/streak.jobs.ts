import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { StreakReset } from './achievement.events';
import { addDays, isStreakBroken, utcDate } from './achievement-rules';
import { AchievementsRepository } from './achievements.repository';

@Injectable()
export class StreakJobs {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly achievements: AchievementsRepository,
  ) {}

  /**
   * docs/jobs.md §4 `streak_calculate`: resets streaks whose last completion day is before yesterday
   * (UTC of the job clock). Each user is re-checked under its lock, so reruns change nothing.
   */
  @JobHandler('streak_calculate')
  async resetBrokenStreaks(ctx: JobContext): Promise<JobResult> {
    const today = utcDate(ctx.now);
    const candidates = await this.achievements.usersWithStreakEndedBefore(addDays(today, -1));
    let reset = 0;
    for (const userId of candidates) {
      const didReset = await this.uow.run(async (tx) => {
        const state = await this.achievements.lockState(tx.manager, userId);
        if (state.currentStreak === 0 || !isStreakBroken(state.lastCompletionDate, today)) return false;
        await this.achievements.saveState(tx.manager, userId, { ...state, currentStreak: 0 }, ctx.now);
        await tx.emit(
          StreakReset,
          { previous_streak: state.currentStreak },
          { userId, source: 'system', occurredAt: ctx.now },
        );
        return true;
      });
      if (didReset) reset++;
    }
    return { status: 'success', result: { users_checked: candidates.length, streaks_reset: reset } };
  }
}
