import { defineEvent } from '@app/core/events/domain-event';
import type { PerkType } from '@app/core/database/enums';

export interface AchievementUnlockedPayload {
  achievement_id: string;
  name: string;
  description: string;
  perk_type: PerkType | null;
  perk_value: number | null;
}

export interface StreakResetPayload {
  previous_streak: number;
}

export const AchievementUnlocked = defineEvent<AchievementUnlockedPayload>('achievement.unlocked', (payload) => ({
  entityType: 'achievement',
  entityId: payload.achievement_id,
  action: 'achievement_unlocked',
  metadata: { name: payload.name, perk_type: payload.perk_type, perk_value: payload.perk_value },
}));

/** `entity_id` of a streak reset is the user id (docs/data-model.md §20). */
export const StreakReset = defineEvent<StreakResetPayload>('streak.reset', (payload, event) => ({
  entityType: 'achievement',
  entityId: event.userId,
  action: 'streak_reset',
  metadata: { previous_streak: payload.previous_streak },
}));
