import type { TaskTemplateEntity } from '@app/core/database/entities';
import { planTemplatePatch } from './template-rules';

const dtstart = new Date('2026-01-05T09:00:00.000Z');

function template(overrides: Partial<TaskTemplateEntity> = {}): TaskTemplateEntity {
  return {
    id: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
    userId: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40',
    title: 'Review',
    description: '',
    priority: 'medium',
    estimatedDuration: null,
    rrule: 'FREQ=DAILY',
    dtstart,
    nextDue: new Date('2026-01-07T09:00:00.000Z'),
    active: true,
    lastGeneratedAt: null,
    createdAt: dtstart,
    updatedAt: dtstart,
    ...overrides,
  };
}

describe(planTemplatePatch.name, () => {
  it('should change nothing when every value equals the stored one', () => {
    expect(planTemplatePatch(template(), { title: 'Review', description: null, active: true, dtstart })).toEqual({
      fields: {},
      changedFields: [],
      recomputeNextDue: false,
      reactivated: false,
    });
  });

  it('should recompute next_due when the rule of an active template changes', () => {
    expect(planTemplatePatch(template(), { rrule: 'FREQ=WEEKLY' })).toMatchObject({
      fields: { rrule: 'FREQ=WEEKLY' },
      changedFields: ['rrule'],
      recomputeNextDue: true,
    });
  });

  it('should keep an inactive template without next_due when its rule changes', () => {
    expect(planTemplatePatch(template({ active: false, nextDue: null }), { dtstart: new Date() })).toMatchObject({
      recomputeNextDue: false,
      reactivated: false,
    });
  });

  it('should clear next_due on deactivation', () => {
    expect(planTemplatePatch(template(), { active: false })).toMatchObject({
      fields: { active: false, nextDue: null },
      changedFields: ['active'],
      recomputeNextDue: false,
    });
  });

  it('should re-activate only on a false → true change', () => {
    expect(planTemplatePatch(template({ active: false, nextDue: null }), { active: true })).toMatchObject({
      reactivated: true,
      recomputeNextDue: true,
    });
    expect(planTemplatePatch(template(), { active: true }).reactivated).toBe(false);
  });
});
