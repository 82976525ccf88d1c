import { Injectable } from '@nestjs/common';
import { CATEGORY_METRIC, reportedCurrentStreak, utcDate } from './achievement-rules';
import { metricsOf } from './achievement-progress.service';
import { AchievementsRepository, AchievementState } from './achievements.repository';
import { AchievementDefinitionDto, toAchievementDefinition } from './dto/achievement-definition.dto';
import { AchievementStatsDto } from './dto/achievement-stats.dto';
import { AchievementsMeDto } from './dto/achievements-me.dto';
import { EffectiveLimitsDto, toEffectiveLimits } from './dto/effective-limits.dto';
import { toUnlockedAchievement } from './dto/unlocked-achievement.dto';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';

/** The read side of achievements (docs/api.md §12). */
@Injectable()
export class AchievementsService {
  constructor(
    private readonly achievements: AchievementsRepository,
    private readonly limits: EffectiveLimitsService,
  ) {}

  async catalogue(): Promise<AchievementDefinitionDto[]> {
    return (await this.achievements.catalogue()).map(toAchievementDefinition);
  }

  async me(userId: string): Promise<AchievementsMeDto> {
    const [catalogue, state, unlocks, effective] = await Promise.all([
      this.achievements.catalogue(),
      this.achievements.findState(userId),
      this.achievements.unlocksOf(userId),
      this.effectiveLimits(userId),
    ]);
    const unlockedAt = new Map(unlocks.map((u) => [u.achievementId, u.unlockedAt]));
    const unlocked = catalogue.filter((d) => unlockedAt.has(d.id));
    const metrics = metricsOf(state);
    return {
      stats: toStats(state),
      unlocked: unlocked.map((d) => d.id),
      unlocked_achievements: unlocked.map((d) => toUnlockedAchievement(d, unlockedAt.get(d.id) as Date)),
      progress: catalogue.map((d) => ({
        id: d.id,
        name: d.name,
        current: metrics[CATEGORY_METRIC[d.category]],
        threshold: d.threshold,
        unlocked: unlockedAt.has(d.id),
      })),
      effective_limits: effective,
    };
  }

  async stats(userId: string): Promise<AchievementStatsDto> {
    return toStats(await this.achievements.findState(userId));
  }

  async effectiveLimits(userId: string): Promise<EffectiveLimitsDto> {
    return toEffectiveLimits(await this.limits.forUser(userId));
  }
}

function toStats(state: AchievementState): AchievementStatsDto {
  return {
    lifetime_tasks_completed: state.lifetimeTasksCompleted,
    current_streak: reportedCurrentStreak(state, utcDate(new Date())),
    longest_streak: state.longestStreak,
    focus_completions: state.focusCompletions,
    notes_converted: state.notesConverted,
  };
}
