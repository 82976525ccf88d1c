import { effectiveLimits, tierLimits } from './tier-limits';

describe('tier limits', () => {
  it('should give free and pro their base values', () => {
    expect(tierLimits('free', 10)).toMatchObject({
      maxActiveTasks: 50,
      maxSubtasksPerTask: 4,
      maxActiveNotes: 10,
      dailyCredits: 0,
    });
    expect(tierLimits('pro', 10)).toMatchObject({
      maxActiveTasks: 200,
      maxSubtasksPerTask: 10,
      maxActiveNotes: 25,
      dailyCredits: 10,
    });
  });

  it('should add perks to the three perk-extended limits only', () => {
    const limits = effectiveLimits(tierLimits('free', 10), { max_tasks: 40, max_notes: 5, daily_credits: 2 });
    expect(limits).toMatchObject({ maxActiveTasks: 90, maxActiveNotes: 15, dailyCredits: 2, maxSubtasksPerTask: 4 });
  });
});
