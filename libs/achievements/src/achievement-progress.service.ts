import { Injectable } from '@nestjs/common';
import type { Transaction } from '@app/core/events/transaction';
import { AchievementUnlocked } from './achievement.events';
import {
  AchievementMetrics,
  applyCompletionToStreak,
  isFocusCompletion,
  reachedAchievements,
  reportedCurrentStreak,
  utcDate,
} from './achievement-rules';
import { AchievementsRepository, AchievementState } from './achievements.repository';
import { toUnlockedAchievement, UnlockedAchievementDto } from './dto/unlocked-achievement.dto';

/** What a counted completion contributes (docs/rules.md §3.2 step 3, §3.3). */
export interface CountedCompletion {
  completedAt: Date;
  /** The task's focus time after any active session was ended. */
  focusTimeSeconds: number;
  estimatedDuration: number | null;
}

export interface CompletionOutcome {
  unlocked: UnlockedAchievementDto[];
  currentStreak: number;
}

/** Metric changes and unlocks: only counted completions and first note conversions (docs/rules.md §4). */
@Injectable()
export class AchievementProgressService {
  constructor(private readonly achievements: AchievementsRepository) {}

  async recordCompletion(tx: Transaction, userId: string, completion: CountedCompletion): Promise<CompletionOutcome> {
    const state = await this.achievements.lockState(tx.manager, userId);
    const streak = applyCompletionToStreak(state, utcDate(completion.completedAt));
    const focus = isFocusCompletion(completion.focusTimeSeconds, completion.estimatedDuration) ? 1 : 0;
    const next: AchievementState = {
      ...state,
      ...streak,
      lifetimeTasksCompleted: state.lifetimeTasksCompleted + 1,
      focusCompletions: state.focusCompletions + focus,
    };
    await this.achievements.saveState(tx.manager, userId, next, completion.completedAt);
    const unlocked = await this.unlockReached(tx, userId, next, completion.completedAt);
    return { unlocked, currentStreak: next.currentStreak };
  }

  async recordNoteConversion(tx: Transaction, userId: string, at: Date): Promise<UnlockedAchievementDto[]> {
    const state = await this.achievements.lockState(tx.manager, userId);
    const next: AchievementState = { ...state, notesConverted: state.notesConverted + 1 };
    await this.achievements.saveState(tx.manager, userId, next, at);
    return this.unlockReached(tx, userId, next, at);
  }

  /** The streak a completion that does not count reports (nothing changes). */
  async reportedStreak(tx: Transaction, userId: string, at: Date): Promise<number> {
    return reportedCurrentStreak(await this.achievements.findState(userId, tx.manager), utcDate(at));
  }

  /** Unlocks every reached achievement not unlocked yet, in catalogue order, with its event. */
  private async unlockReached(
    tx: Transaction,
    userId: string,
    state: AchievementState,
    at: Date,
  ): Promise<UnlockedAchievementDto[]> {
    const catalogue = await this.achievements.catalogue(tx.manager);
    const inserted = new Set(
      await this.achievements.insertUnlocks(tx.manager, userId, reachedAchievements(catalogue, metricsOf(state)), at),
    );
    const unlocked: UnlockedAchievementDto[] = [];
    for (const definition of catalogue.filter((d) => inserted.has(d.id))) {
      await tx.emit(
        AchievementUnlocked,
        {
          achievement_id: definition.id,
          name: definition.name,
          description: definition.description,
          perk_type: definition.perkType,
          perk_value: definition.perkValue,
        },
        { userId, source: 'system', occurredAt: at },
      );
      unlocked.push(toUnlockedAchievement(definition, at));
    }
    return unlocked;
  }
}

export function metricsOf(state: AchievementState): AchievementMetrics {
  return {
    lifetime_tasks_completed: state.lifetimeTasksCompleted,
    longest_streak: state.longestStreak,
    focus_completions: state.focusCompletions,
    notes_converted: state.notesConverted,
  };
}
