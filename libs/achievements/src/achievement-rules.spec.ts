import {
  addDays,
  applyCompletionToStreak,
  compareCatalogueOrder,
  isFocusCompletion,
  isStreakBroken,
  reachedAchievements,
  reportedCurrentStreak,
  StreakState,
  unlockNotificationText,
  utcDate,
} from './achievement-rules';

const CATALOGUE = [
  { id: 'tasks_5', category: 'tasks' as const, threshold: 5 },
  { id: 'tasks_25', category: 'tasks' as const, threshold: 25 },
  { id: 'tasks_100', category: 'tasks' as const, threshold: 100 },
  { id: 'streak_7', category: 'streaks' as const, threshold: 7 },
  { id: 'streak_30', category: 'streaks' as const, threshold: 30 },
  { id: 'focus_10', category: 'focus' as const, threshold: 10 },
  { id: 'notes_10', category: 'notes' as const, threshold: 10 },
];

function streak(currentStreak: number, longestStreak: number, lastCompletionDate: string | null): StreakState {
  return { currentStreak, longestStreak, lastCompletionDate };
}

describe('achievement rules', () => {
  describe(utcDate.name, () => {
    it('should use the UTC calendar day, never a local one', () => {
      expect(utcDate(new Date('2026-01-19T23:59:59.999Z'))).toBe('2026-01-19');
      expect(utcDate(new Date('2026-01-20T00:00:00.000Z'))).toBe('2026-01-20');
      expect(utcDate(new Date('2026-01-20T01:00:00.000+02:00'))).toBe('2026-01-19');
    });
  });

  describe(addDays.name, () => {
    it('should cross month, year and leap-day boundaries', () => {
      expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
      expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
      expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    });
  });

  describe(applyCompletionToStreak.name, () => {
    it('should start a streak of 1 on the first completion', () => {
      expect(applyCompletionToStreak(streak(0, 0, null), '2026-01-19')).toEqual(streak(1, 1, '2026-01-19'));
    });

    it('should leave the streak unchanged for a second completion on the same day', () => {
      expect(applyCompletionToStreak(streak(3, 5, '2026-01-19'), '2026-01-19')).toEqual(streak(3, 5, '2026-01-19'));
    });

    it('should extend the streak on the next day and raise the longest streak', () => {
      expect(applyCompletionToStreak(streak(5, 5, '2026-01-19'), '2026-01-20')).toEqual(streak(6, 6, '2026-01-20'));
    });

    it('should restart at 1 after a missed day, keeping the longest streak', () => {
      expect(applyCompletionToStreak(streak(5, 8, '2026-01-19'), '2026-01-21')).toEqual(streak(1, 8, '2026-01-21'));
    });

    it('should restart at 1 after a reset to 0 even on the next day', () => {
      expect(applyCompletionToStreak(streak(0, 4, '2026-01-19'), '2026-01-20')).toEqual(streak(1, 4, '2026-01-20'));
    });

    it('should ignore a completion dated before the last completion day', () => {
      expect(applyCompletionToStreak(streak(2, 2, '2026-01-19'), '2026-01-17')).toEqual(streak(2, 2, '2026-01-19'));
    });
  });

  describe(isStreakBroken.name, () => {
    it('should break only when the last completion is before yesterday', () => {
      expect(isStreakBroken('2026-01-19', '2026-01-20')).toBe(false);
      expect(isStreakBroken('2026-01-20', '2026-01-20')).toBe(false);
      expect(isStreakBroken('2026-01-18', '2026-01-20')).toBe(true);
      expect(isStreakBroken(null, '2026-01-20')).toBe(false);
    });
  });

  describe(reportedCurrentStreak.name, () => {
    it('should report 0 for a broken streak before the nightly job ran', () => {
      expect(reportedCurrentStreak(streak(4, 6, '2026-01-17'), '2026-01-20')).toBe(0);
      expect(reportedCurrentStreak(streak(4, 6, '2026-01-19'), '2026-01-20')).toBe(4);
    });
  });

  describe(isFocusCompletion.name, () => {
    it('should need at least half the estimate in focus', () => {
      expect(isFocusCompletion(900, 30)).toBe(true);
      expect(isFocusCompletion(899, 30)).toBe(false);
      expect(isFocusCompletion(31, 1)).toBe(true);
      expect(isFocusCompletion(29, 1)).toBe(false);
    });

    it('should never count a task without an estimate', () => {
      expect(isFocusCompletion(10_000, null)).toBe(false);
    });
  });

  describe(reachedAchievements.name, () => {
    it('should list every achievement whose metric reached its threshold, in catalogue order', () => {
      const metrics = { lifetime_tasks_completed: 25, longest_streak: 7, focus_completions: 9, notes_converted: 10 };
      expect(reachedAchievements(CATALOGUE, metrics)).toEqual(['tasks_5', 'tasks_25', 'streak_7', 'notes_10']);
    });

    it('should unlock exactly at each threshold', () => {
      for (const entry of CATALOGUE) {
        const below = { lifetime_tasks_completed: 0, longest_streak: 0, focus_completions: 0, notes_converted: 0 };
        const metric = {
          tasks: 'lifetime_tasks_completed',
          streaks: 'longest_streak',
          focus: 'focus_completions',
          notes: 'notes_converted',
        } as const;
        expect(reachedAchievements([entry], { ...below, [metric[entry.category]]: entry.threshold - 1 })).toEqual([]);
        expect(reachedAchievements([entry], { ...below, [metric[entry.category]]: entry.threshold })).toEqual([
          entry.id,
        ]);
      }
    });
  });

  describe(compareCatalogueOrder.name, () => {
    it('should order by category (tasks, streaks, focus, notes), then threshold', () => {
      const shuffled = [
        CATALOGUE[6],
        CATALOGUE[4],
        CATALOGUE[2],
        CATALOGUE[0],
        CATALOGUE[5],
        CATALOGUE[3],
        CATALOGUE[1],
      ];
      expect(shuffled.sort(compareCatalogueOrder).map((a) => a.id)).toEqual(CATALOGUE.map((a) => a.id));
    });
  });

  describe(unlockNotificationText.name, () => {
    it('should name the achievement and its perk', () => {
      expect(
        unlockNotificationText({
          name: 'Week Warrior',
          description: 'Maintain a 7-day streak',
          perkType: 'daily_credits',
          perkValue: 2,
        }),
      ).toEqual({
        title: 'Achievement unlocked: Week Warrior',
        body: 'Maintain a 7-day streak. Perk: +2 daily AI credits',
      });
      expect(
        unlockNotificationText({
          name: 'Task Starter',
          description: 'Complete 5 tasks',
          perkType: 'max_tasks',
          perkValue: 15,
        }).body,
      ).toBe('Complete 5 tasks. Perk: +15 max tasks');
      expect(
        unlockNotificationText({
          name: 'Note Taker',
          description: 'Convert 10 notes to tasks',
          perkType: 'max_notes',
          perkValue: 5,
        }).body,
      ).toBe('Convert 10 notes to tasks. Perk: +5 max notes');
    });

    it('should leave the perk out for an achievement without one', () => {
      expect(unlockNotificationText({ name: 'X', description: 'Do x', perkType: null, perkValue: null }).body).toBe(
        'Do x.',
      );
    });
  });
});
