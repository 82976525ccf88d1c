import { ACHIEVEMENT_CATEGORIES, AchievementCategory, PerkType } from '@app/core/database/enums';

/** A streak's stored state (docs/data-model.md §11); dates are UTC `YYYY-MM-DD`. */
export interface StreakState {
  currentStreak: number;
  longestStreak: number;
  lastCompletionDate: string | null;
}

/** The metrics achievements are measured on (docs/rules.md §4). */
export interface AchievementMetrics {
  lifetime_tasks_completed: number;
  longest_streak: number;
  focus_completions: number;
  notes_converted: number;
}

export interface AchievementThreshold {
  id: string;
  category: AchievementCategory;
  threshold: number;
}

export const CATEGORY_METRIC: Record<AchievementCategory, keyof AchievementMetrics> = {
  tasks: 'lifetime_tasks_completed',
  streaks: 'longest_streak',
  focus: 'focus_completions',
  notes: 'notes_converted',
};

const DAY_MS = 86_400_000;

/** The UTC calendar date of an instant. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return utcDate(new Date(Date.parse(`${date}T00:00:00.000Z`) + days * DAY_MS));
}

/** A counted completion on UTC date `date` (docs/rules.md §5). */
export function applyCompletionToStreak(state: StreakState, date: string): StreakState {
  const last = state.lastCompletionDate;
  let current = state.currentStreak;
  if (last === null) current = 1;
  else if (date === addDays(last, 1)) current += 1;
  else if (date > addDays(last, 1)) current = 1;
  return {
    currentStreak: current,
    longestStreak: Math.max(state.longestStreak, current),
    lastCompletionDate: last === null || date > last ? date : last,
  };
}

/** A streak is broken when the last completion day is before yesterday (UTC). */
export function isStreakBroken(lastCompletionDate: string | null, today: string): boolean {
  return lastCompletionDate !== null && lastCompletionDate < addDays(today, -1);
}

/** Reads report 0 for a broken streak even before the nightly job reset it. */
export function reportedCurrentStreak(state: StreakState, today: string): number {
  return isStreakBroken(state.lastCompletionDate, today) ? 0 : state.currentStreak;
}

/** docs/rules.md §3.3: at least half of the estimate spent in focus. */
export function isFocusCompletion(focusTimeSeconds: number, estimatedMinutes: number | null): boolean {
  return estimatedMinutes !== null && estimatedMinutes > 0 && focusTimeSeconds * 2 >= estimatedMinutes * 60;
}

/** Ids of every achievement whose metric has reached its threshold, in the given order. */
export function reachedAchievements(catalogue: AchievementThreshold[], metrics: AchievementMetrics): string[] {
  return catalogue.filter((a) => metrics[CATEGORY_METRIC[a.category]] >= a.threshold).map((a) => a.id);
}

/** Catalogue order (docs/api.md §12): category tasks, streaks, focus, notes; then threshold. */
export function compareCatalogueOrder(a: AchievementThreshold, b: AchievementThreshold): number {
  const byCategory = ACHIEVEMENT_CATEGORIES.indexOf(a.category) - ACHIEVEMENT_CATEGORIES.indexOf(b.category);
  return byCategory !== 0 ? byCategory : a.threshold - b.threshold;
}

const PERK_LABELS: Record<PerkType, string> = {
  max_tasks: 'max tasks',
  max_notes: 'max notes',
  daily_credits: 'daily AI credits',
};

/** The unlock notification of docs/rules.md §4. */
export function unlockNotificationText(achievement: {
  name: string;
  description: string;
  perkType: PerkType | null;
  perkValue: number | null;
}): { title: string; body: string } {
  const perk =
    achievement.perkType !== null && achievement.perkValue !== null
      ? ` Perk: +${achievement.perkValue} ${PERK_LABELS[achievement.perkType]}`
      : '';
  return { title: `Achievement unlocked: ${achievement.name}`, body: `${achievement.description}.${perk}` };
}
