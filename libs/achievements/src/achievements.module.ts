import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { AchievementNotifier } from './achievement-notifier';
import { AchievementProgressService } from './achievement-progress.service';
import { AchievementTriggers } from './achievement-triggers';
import { AchievementsRepository } from './achievements.repository';
import { AchievementsService } from './achievements.service';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { StreakJobs } from './streak.jobs';

/** Metrics, streaks and unlocks (docs/rules.md §4–§5), driven by completion and conversion events. */
@Module({
  imports: [EffectiveLimitsModule, NotificationsModule],
  providers: [
    AchievementsRepository,
    AchievementsService,
    AchievementProgressService,
    AchievementTriggers,
    AchievementNotifier,
    StreakJobs,
  ],
  exports: [AchievementsService, AchievementProgressService],
})
export class AchievementsModule {}
