import type { ReminderEntity } from '@app/core/database/entities';
import { ValidationError } from '@app/core/errors/domain-error';
import {
  firingStateAfterMove,
  recomputedForDueDate,
  relativeScheduledAt,
  resolveNewReminder,
  resolveReminderPatch,
} from './reminder-rules';

const due = new Date('2026-01-10T12:00:00.000Z');
const now = new Date('2026-01-05T00:00:00.000Z');

function reminder(overrides: Partial<ReminderEntity> = {}): ReminderEntity {
  return {
    id: '2b4d6f8a-0c1e-4a3b-9d5f-7e9a1c3e5b7d',
    taskId: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e',
    userId: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40',
    type: 'before',
    offsetMinutes: 30,
    scheduledAt: new Date('2026-01-10T11:30:00.000Z'),
    method: 'in_app',
    fired: true,
    firedAt: new Date('2026-01-10T11:30:00.000Z'),
    skipped: false,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe(relativeScheduledAt.name, () => {
  it('should subtract for before and add for after', () => {
    expect(relativeScheduledAt('before', due, 90)).toEqual(new Date('2026-01-10T10:30:00.000Z'));
    expect(relativeScheduledAt('after', due, 90)).toEqual(new Date('2026-01-10T13:30:00.000Z'));
  });
});

describe(resolveNewReminder.name, () => {
  it('should store the magnitude of a negative offset', () => {
    expect(resolveNewReminder({ type: 'before', offset_minutes: -45 }, due)).toEqual({
      type: 'before',
      offsetMinutes: 45,
      scheduledAt: new Date('2026-01-10T11:15:00.000Z'),
      method: 'in_app',
    });
  });

  it('should keep an absolute time and drop the offset', () => {
    const at = new Date('2026-01-07T08:00:00.000Z');
    expect(resolveNewReminder({ type: 'absolute', offset_minutes: 5, scheduled_at: at, method: 'push' }, null)).toEqual(
      {
        type: 'absolute',
        offsetMinutes: null,
        scheduledAt: at,
        method: 'push',
      },
    );
  });

  it('should refuse a relative reminder without a due date', () => {
    expect(() => resolveNewReminder({ type: 'after', offset_minutes: 5 }, null)).toThrow(ValidationError);
  });
});

describe(resolveReminderPatch.name, () => {
  it('should need scheduled_at when switching to absolute', () => {
    expect(() => resolveReminderPatch(reminder(), { type: 'absolute' }, due)).toThrow(ValidationError);
  });

  it('should keep the stored time of an absolute reminder when only the method changes', () => {
    const stored = reminder({ type: 'absolute', offsetMinutes: null });
    expect(resolveReminderPatch(stored, { method: 'push' }, due)).toMatchObject({
      scheduledAt: stored.scheduledAt,
      method: 'push',
    });
  });

  it('should reuse the stored offset when switching between relative types', () => {
    expect(resolveReminderPatch(reminder(), { type: 'after' }, due)).toMatchObject({
      type: 'after',
      offsetMinutes: 30,
      scheduledAt: new Date('2026-01-10T12:30:00.000Z'),
    });
  });

  it('should need an offset when an absolute reminder becomes relative without one', () => {
    const stored = reminder({ type: 'absolute', offsetMinutes: null });
    expect(() => resolveReminderPatch(stored, { type: 'before' }, due)).toThrow(ValidationError);
    expect(resolveReminderPatch(stored, { type: 'before', offset_minutes: -60 }, due)).toMatchObject({
      offsetMinutes: 60,
    });
  });
});

describe(firingStateAfterMove.name, () => {
  it('should re-arm a reminder moved to the future only', () => {
    expect(firingStateAfterMove(new Date('2026-01-06T00:00:00.000Z'), now)).toEqual({
      fired: false,
      firedAt: null,
      skipped: false,
    });
    expect(firingStateAfterMove(new Date('2026-01-04T00:00:00.000Z'), now)).toEqual({});
  });
});

describe(recomputedForDueDate.name, () => {
  it('should move relative reminders and re-arm future ones', () => {
    expect(recomputedForDueDate(reminder(), due, now)).toEqual({
      scheduledAt: new Date('2026-01-10T11:30:00.000Z'),
      fired: false,
      firedAt: null,
      skipped: false,
    });
  });

  it('should leave past ones in their state', () => {
    expect(recomputedForDueDate(reminder(), new Date('2026-01-01T00:00:00.000Z'), now)).toEqual({
      scheduledAt: new Date('2025-12-31T23:30:00.000Z'),
    });
  });

  it('should never move absolute reminders', () => {
    expect(recomputedForDueDate(reminder({ type: 'absolute', offsetMinutes: null }), due, now)).toBeNull();
  });
});
