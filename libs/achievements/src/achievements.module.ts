import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { AchievementNotifier } from './achievement-notifier';
import { AchievementProgressService } from './achievement-progress.service';
import { AchievementsRepository } from './achievements.repository';
import { AchievementsService } from './achievements.service';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { StreakJobs } from './streak.jobs';
import { StreakReader } from './streak-reader';

/** Metrics, streaks and unlocks (docs/rules.md §4–§5), recorded by the completion and conversion use cases. */
@Module({
  imports: [EffectiveLimitsModule, NotificationsModule],
  providers: [
    AchievementsRepository,
    AchievementsService,
    AchievementProgressService,
    StreakReader,
    AchievementNotifier,
    StreakJobs,
  ],
  exports: [AchievementsService, AchievementProgressService],
})
export class AchievementsModule {}
