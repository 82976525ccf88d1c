import type { UserTier } from '@app/core/database/enums';

/** Base values per tier (docs/rules.md §1); perks add to the three marked "extended by perk". */
export interface TierLimits {
  maxActiveTasks: number;
  maxSubtasksPerTask: number;
  maxAiSubtaskSuggestions: number;
  maxDescriptionLength: number;
  maxActiveNotes: number;
  maxNoteLength: number;
  maxRemindersPerTask: number;
  voiceAllowed: boolean;
  dailyCredits: number;
}

export function tierLimits(tier: UserTier, proDailyCredits: number): TierLimits {
  const pro = tier === 'pro';
  return {
    maxActiveTasks: pro ? 200 : 50,
    maxSubtasksPerTask: pro ? 10 : 4,
    maxAiSubtaskSuggestions: pro ? 10 : 4,
    maxDescriptionLength: pro ? 2000 : 1000,
    maxActiveNotes: pro ? 25 : 10,
    maxNoteLength: 2000,
    maxRemindersPerTask: 5,
    voiceAllowed: pro,
    dailyCredits: pro ? proDailyCredits : 0,
  };
}

export interface PerkTotals {
  max_tasks: number;
  max_notes: number;
  daily_credits: number;
}

/** Effective limit = tier base + the perks of every unlocked achievement (docs/rules.md §1). */
export function effectiveLimits(base: TierLimits, perks: PerkTotals): TierLimits {
  return {
    ...base,
    maxActiveTasks: base.maxActiveTasks + perks.max_tasks,
    maxActiveNotes: base.maxActiveNotes + perks.max_notes,
    dailyCredits: base.dailyCredits + perks.daily_credits,
  };
}
