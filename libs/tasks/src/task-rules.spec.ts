import type { TaskEntity } from '@app/core/database/entities';
import { ValidationError } from '@app/core/errors/domain-error';
import {
  assertDescriptionLength,
  assertDueDateWithinWindow,
  assertPatchedDueDate,
  completionFields,
  isBlockedByArchive,
  planTaskPatch,
  reopenFields,
} from './task-rules';

const created = new Date('2026-01-01T00:00:00.000Z');

function task(overrides: Partial<TaskEntity> = {}): TaskEntity {
  return {
    id: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e',
    userId: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40',
    templateId: null,
    generatedFromTaskId: null,
    title: 'Report',
    description: 'notes',
    priority: 'medium',
    dueDate: new Date('2026-01-10T00:00:00.000Z'),
    estimatedDuration: 30,
    focusTimeSeconds: 0,
    completed: false,
    completedAt: null,
    completedBy: null,
    statsCounted: false,
    hidden: false,
    archived: false,
    version: 3,
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

describe(assertDueDateWithinWindow.name, () => {
  it('should allow exactly 30 days after the base', () => {
    expect(() => assertDueDateWithinWindow(new Date('2026-01-31T00:00:00.000Z'), created)).not.toThrow();
  });

  it('should refuse one millisecond more', () => {
    expect(() => assertDueDateWithinWindow(new Date('2026-01-31T00:00:00.001Z'), created)).toThrow(ValidationError);
  });

  it('should allow past dates', () => {
    expect(() => assertDueDateWithinWindow(new Date('2020-01-01T00:00:00.000Z'), created)).not.toThrow();
  });
});

describe(assertDescriptionLength.name, () => {
  it('should count code points, not UTF-16 units', () => {
    expect(() => assertDescriptionLength('😀'.repeat(1000), 1000)).not.toThrow();
    expect(() => assertDescriptionLength('😀'.repeat(1001), 1000)).toThrow(ValidationError);
  });
});

describe(isBlockedByArchive.name, () => {
  it('should allow version, hidden and archived on an archived task', () => {
    expect(isBlockedByArchive(task({ archived: true }), { hidden: true, archived: true })).toBe(false);
  });

  it('should block any other field on an archived task', () => {
    expect(isBlockedByArchive(task({ archived: true }), { title: 'x' })).toBe(true);
    expect(isBlockedByArchive(task({ archived: true }), { completed: true })).toBe(true);
  });

  it('should allow other fields together with archived:false', () => {
    expect(isBlockedByArchive(task({ archived: true }), { title: 'x', archived: false })).toBe(false);
  });

  it('should never block a task that is not archived', () => {
    expect(isBlockedByArchive(task(), { title: 'x', archived: true })).toBe(false);
  });
});

describe(planTaskPatch.name, () => {
  it('should list only fields whose value changes', () => {
    const plan = planTaskPatch(task(), {
      title: 'Report',
      description: null,
      priority: 'high',
      due_date: new Date('2026-01-10T00:00:00.000Z'),
      estimated_duration: null,
    });
    expect(plan.fields).toEqual({ description: '', priority: 'high', estimatedDuration: null });
    expect(plan.changedFields).toEqual(['description', 'priority', 'estimated_duration']);
  });

  it('should plan completion, hiding and archiving as flag changes', () => {
    const plan = planTaskPatch(task(), { completed: true, hidden: true, archived: true });
    expect(plan).toEqual({
      unarchive: false,
      fields: {},
      changedFields: [],
      completion: 'complete',
      hidden: true,
      archive: true,
    });
  });

  it('should plan nothing for flags that already hold', () => {
    const plan = planTaskPatch(task({ completed: true, hidden: true, archived: true }), {
      completed: true,
      hidden: true,
      archived: true,
    });
    expect(plan).toMatchObject({ unarchive: false, completion: null, hidden: null, archive: false });
  });

  it('should plan re-opening and un-archiving', () => {
    const plan = planTaskPatch(task({ completed: true, archived: true }), { completed: false, archived: false });
    expect(plan).toMatchObject({ unarchive: true, completion: 'reopen', archive: false });
  });

  it('should clear the due date with null', () => {
    expect(planTaskPatch(task(), { due_date: null }).fields).toEqual({ dueDate: null });
    expect(planTaskPatch(task({ dueDate: null }), { due_date: null }).changedFields).toEqual([]);
  });
});

describe(assertPatchedDueDate.name, () => {
  const late = new Date('2026-02-15T00:00:00.000Z');

  it('should check a changed due date against created_at + 30 days', () => {
    expect(() => assertPatchedDueDate(task(), planTaskPatch(task(), { due_date: late }))).toThrow(ValidationError);
  });

  it('should exempt template instances', () => {
    const instance = task({ templateId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9' });
    expect(() => assertPatchedDueDate(instance, planTaskPatch(instance, { due_date: late }))).not.toThrow();
  });

  it('should not re-check an unchanged due date', () => {
    const stored = task({ dueDate: late });
    expect(() => assertPatchedDueDate(stored, planTaskPatch(stored, { due_date: late }))).not.toThrow();
  });
});

describe(completionFields.name, () => {
  it('should set all completion columns together', () => {
    const now = new Date();
    expect(completionFields('force', now)).toEqual({ completed: true, completedAt: now, completedBy: 'force' });
    expect(reopenFields()).toEqual({ completed: false, completedAt: null, completedBy: null });
  });
});
