import { defineEvent } from '@app/core/events/domain-event';
import type { ReminderMethod } from '@app/core/database/enums';

export interface ReminderRefPayload {
  reminder_id: string;
  task_id: string;
}

export interface ReminderFiredPayload extends ReminderRefPayload {
  notification_id: string;
  method: ReminderMethod;
}

export interface ReminderSkippedPayload extends ReminderRefPayload {
  /** `task_inactive`: task completed, hidden or archived when due; `recovered`: past at recovery. */
  reason: 'task_inactive' | 'recovered';
}

function reminderEntry(action: string) {
  return (payload: ReminderRefPayload) => ({
    entityType: 'reminder' as const,
    entityId: payload.reminder_id,
    action,
    metadata: { task_id: payload.task_id },
  });
}

export const ReminderCreated = defineEvent<ReminderRefPayload>('reminder.created', reminderEntry('reminder_created'));
export const ReminderUpdated = defineEvent<ReminderRefPayload>('reminder.updated', reminderEntry('reminder_updated'));
export const ReminderDeleted = defineEvent<ReminderRefPayload>('reminder.deleted', reminderEntry('reminder_deleted'));

/** Emitted by the `reminder_fire` job. */
export const ReminderFired = defineEvent<ReminderFiredPayload>('reminder.fired', (payload) => ({
  entityType: 'reminder',
  entityId: payload.reminder_id,
  action: 'reminder_fired',
  metadata: { task_id: payload.task_id, notification_id: payload.notification_id, method: payload.method },
}));

export const ReminderSkipped = defineEvent<ReminderSkippedPayload>('reminder.skipped', (payload) => ({
  entityType: 'reminder',
  entityId: payload.reminder_id,
  action: 'reminder_skipped',
  metadata: { task_id: payload.task_id, reason: payload.reason },
}));
