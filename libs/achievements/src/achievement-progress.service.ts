import { Injectable } from '@nestjs/common';
import type { Transaction } from '@app/core/events/transaction';
import { AchievementUnlocked } from './achievement.events';
import { AchievementNotifier } from './achievement-notifier';
import {
  AchievementMetrics,
  applyCompletionToStreak,
  isFocusCompletion,
  reachedAchievements,
  utcDate,
} from './achievement-rules';
import { AchievementsRepository, AchievementState } from './achievements.repository';
import { StreakReader } from './streak-reader';
import { toUnlockedAchievement, UnlockedAchievementDto } from './dto/unlocked-achievement.dto';

/** What a task completion contributes (docs/rules.md §3.2 step 3, §3.3). */
export interface TaskCompletionFacts {
  /** The task's first counted completion (`stats_counted` flipped now); any other changes nothing. */
  counted: boolean;
  completedAt: Date;
  /** The task's focus time after any active session was ended. */
  focusTimeSeconds: number;
  estimatedDuration: number | null;
}

/** What a completion's answer reports (docs/api.md §5): the achievements it unlocked and the streak after it. */
export interface CompletionOutcome {
  unlocked: UnlockedAchievementDto[];
  currentStreak: number;
}

export interface NoteConversionFacts {
  /** The note's first conversion; a note counts once. */
  firstConversion: boolean;
  convertedAt: Date;
}

/**
 * Metric changes and unlocks: only counted completions and first note conversions (docs/rules.md §4),
 * called in the transaction of the change that caused them, which returns the unlocks inline.
 */
@Injectable()
export class AchievementProgressService {
  constructor(
    private readonly achievements: AchievementsRepository,
    private readonly streaks: StreakReader,
    private readonly notifier: AchievementNotifier,
  ) {}

  async recordCompletion(tx: Transaction, userId: string, completion: TaskCompletionFacts): Promise<CompletionOutcome> {
    if (!completion.counted) {
      return {
        unlocked: [],
        currentStreak: await this.streaks.currentStreak(tx.manager, userId, completion.completedAt),
      };
    }
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

  async recordNoteConversion(
    tx: Transaction,
    userId: string,
    conversion: NoteConversionFacts,
  ): Promise<UnlockedAchievementDto[]> {
    if (!conversion.firstConversion) return [];
    const at = conversion.convertedAt;
    const state = await this.achievements.lockState(tx.manager, userId);
    const next: AchievementState = { ...state, notesConverted: state.notesConverted + 1 };
    await this.achievements.saveState(tx.manager, userId, next, at);
    return this.unlockReached(tx, userId, next, at);
  }

  /** Unlocks every reached achievement not unlocked yet, in catalogue order, with its event and notification. */
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
      const event = await tx.emit(
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
      await this.notifier.notify(tx, event);
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
