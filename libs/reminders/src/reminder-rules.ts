import type { ReminderEntity } from '@app/core/database/entities';
import type { ReminderMethod, ReminderType } from '@app/core/database/enums';
import { ValidationError } from '@app/core/errors/domain-error';

/** |offset_minutes| ≤ 30 days (docs/rules.md §7, §15). */
export const MAX_REMINDER_OFFSET_MINUTES = 43_200;
const MINUTE_MS = 60_000;

export interface ReminderInput {
  type?: ReminderType;
  offset_minutes?: number;
  scheduled_at?: Date;
  method?: ReminderMethod;
}

export type ReminderSchedule = Pick<ReminderEntity, 'type' | 'offsetMinutes' | 'scheduledAt' | 'method'>;
type FiringState = Pick<ReminderEntity, 'fired' | 'firedAt' | 'skipped'>;

/** `before` → due − offset, `after` → due + offset (offset is the stored magnitude). */
export function relativeScheduledAt(
  type: Exclude<ReminderType, 'absolute'>,
  dueDate: Date,
  offsetMinutes: number,
): Date {
  const direction = type === 'before' ? -1 : 1;
  return new Date(dueDate.getTime() + direction * offsetMinutes * MINUTE_MS);
}

/** A new reminder's stored schedule; the body's shape was validated already (docs/api.md §9). */
export function resolveNewReminder(
  input: ReminderInput & { type: ReminderType },
  dueDate: Date | null,
): ReminderSchedule {
  const method = input.method ?? 'in_app';
  if (input.type === 'absolute') {
    return { type: 'absolute', offsetMinutes: null, scheduledAt: input.scheduled_at as Date, method };
  }
  return relative(input.type, Math.abs(input.offset_minutes as number), dueDate, method);
}

/**
 * The schedule after a PATCH (docs/api.md §9): switching to `absolute` needs `scheduled_at` in the body;
 * a relative type uses the body's offset, else the stored one.
 */
export function resolveReminderPatch(
  stored: ReminderEntity,
  patch: ReminderInput,
  dueDate: Date | null,
): ReminderSchedule {
  const type = patch.type ?? stored.type;
  const method = patch.method ?? stored.method;
  if (type === 'absolute') {
    if (stored.type !== 'absolute' && patch.scheduled_at === undefined) {
      throw ValidationError.field('scheduled_at', 'is required when changing the type to absolute');
    }
    return { type, offsetMinutes: null, scheduledAt: patch.scheduled_at ?? stored.scheduledAt, method };
  }
  const offset = patch.offset_minutes !== undefined ? Math.abs(patch.offset_minutes) : stored.offsetMinutes;
  if (offset === null) throw ValidationError.field('offset_minutes', 'is required for before/after reminders');
  return relative(type, offset, dueDate, method);
}

/** A reminder moved to the future is pending again (fired, skipped and fired_at cleared). */
export function firingStateAfterMove(scheduledAt: Date, now: Date): FiringState | Record<string, never> {
  return scheduledAt.getTime() > now.getTime() ? { fired: false, firedAt: null, skipped: false } : {};
}

/** New time of a relative reminder when its task's due date changes; null for absolute ones. */
export function recomputedForDueDate(
  reminder: ReminderEntity,
  dueDate: Date,
  now: Date,
): (Pick<ReminderEntity, 'scheduledAt'> & Partial<FiringState>) | null {
  if (reminder.type === 'absolute' || reminder.offsetMinutes === null) return null;
  const scheduledAt = relativeScheduledAt(reminder.type, dueDate, reminder.offsetMinutes);
  return { scheduledAt, ...firingStateAfterMove(scheduledAt, now) };
}

function relative(
  type: Exclude<ReminderType, 'absolute'>,
  offsetMinutes: number,
  dueDate: Date | null,
  method: ReminderMethod,
): ReminderSchedule {
  if (!dueDate) throw ValidationError.field('type', 'before/after reminders need a task with a due date');
  return { type, offsetMinutes, scheduledAt: relativeScheduledAt(type, dueDate, offsetMinutes), method };
}
