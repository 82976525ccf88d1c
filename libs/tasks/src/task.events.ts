import { defineEvent } from '@app/core/events/domain-event';
import type { TaskCompletionMode } from '@app/core/database/enums';

export interface TaskRefPayload {
  task_id: string;
}

export interface TaskCreatedPayload {
  task_id: string;
  template_id: string | null;
}

export interface TaskUpdatedPayload {
  task_id: string;
  /** Task fields whose value changed; empty when a PATCH changed nothing but `version`. */
  changed_fields: string[];
  due_date_changed: boolean;
}

export interface TaskCompletedPayload {
  task_id: string;
  completed_by: TaskCompletionMode;
  completed_at: Date;
  template_id: string | null;
  /** True when this is the task's first counted completion (`stats_counted` flipped now, docs/rules.md §3.2). */
  counted: boolean;
}

export interface TaskTombstonePayload {
  task_id: string;
  tombstone_id: string;
}

function taskEntry(action: string) {
  return (payload: TaskRefPayload) => ({ entityType: 'task' as const, entityId: payload.task_id, action });
}

export const TaskCreated = defineEvent<TaskCreatedPayload>('task.created', (payload) => ({
  entityType: 'task',
  entityId: payload.task_id,
  action: 'task_created',
  metadata: { template_id: payload.template_id },
}));

export const TaskUpdated = defineEvent<TaskUpdatedPayload>('task.updated', (payload) => ({
  entityType: 'task',
  entityId: payload.task_id,
  action: 'task_updated',
  metadata: { changed_fields: payload.changed_fields },
}));

/** Statistics, streak and achievements are updated by a direct call, whose result the request returns. */
export const TaskCompleted = defineEvent<TaskCompletedPayload>('task.completed', (payload) => ({
  entityType: 'task',
  entityId: payload.task_id,
  action: 'task_completed',
  metadata: { completed_by: payload.completed_by, counted: payload.counted, template_id: payload.template_id },
}));

export const TaskReopened = defineEvent<TaskRefPayload>('task.reopened', taskEntry('task_reopened'));
export const TaskHidden = defineEvent<TaskRefPayload>('task.hidden', taskEntry('task_hidden'));
export const TaskUnhidden = defineEvent<TaskRefPayload>('task.unhidden', taskEntry('task_unhidden'));
export const TaskArchived = defineEvent<TaskRefPayload>('task.archived', taskEntry('task_archived'));
export const TaskUnarchived = defineEvent<TaskRefPayload>('task.unarchived', taskEntry('task_unarchived'));

export const TaskDeleted = defineEvent<TaskTombstonePayload>('task.deleted', (payload) => ({
  entityType: 'task',
  entityId: payload.task_id,
  action: 'task_deleted',
  metadata: { tombstone_id: payload.tombstone_id },
}));

/** Recovery never counts for statistics or achievements (docs/rules.md §9). */
export const TaskRecovered = defineEvent<TaskTombstonePayload>('task.recovered', (payload) => ({
  entityType: 'task',
  entityId: payload.task_id,
  action: 'task_recovered',
  metadata: { tombstone_id: payload.tombstone_id },
}));
