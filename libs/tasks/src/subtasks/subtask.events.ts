import { defineEvent } from '@app/core/events/domain-event';

export interface SubtaskRefPayload {
  subtask_id: string;
  task_id: string;
}

export interface SubtaskUpdatedPayload extends SubtaskRefPayload {
  changed_fields: string[];
}

export interface SubtaskCompletedPayload extends SubtaskRefPayload {
  /** True for a subtask PATCH (may auto-complete the task); false for force-complete. */
  auto_check: boolean;
}

export interface SubtasksReorderedPayload {
  task_id: string;
  /** Subtask ids in their new order. */
  order: string[];
}

export const SubtaskCreated = defineEvent<SubtaskRefPayload>('subtask.created', (payload) => ({
  entityType: 'subtask',
  entityId: payload.subtask_id,
  action: 'subtask_created',
  metadata: { task_id: payload.task_id },
}));

export const SubtaskUpdated = defineEvent<SubtaskUpdatedPayload>('subtask.updated', (payload) => ({
  entityType: 'subtask',
  entityId: payload.subtask_id,
  action: 'subtask_updated',
  metadata: { task_id: payload.task_id, changed_fields: payload.changed_fields },
}));

export const SubtaskCompleted = defineEvent<SubtaskCompletedPayload>('subtask.completed', (payload) => ({
  entityType: 'subtask',
  entityId: payload.subtask_id,
  action: 'subtask_completed',
  metadata: { task_id: payload.task_id, auto_check: payload.auto_check },
}));

export const SubtaskDeleted = defineEvent<SubtaskRefPayload>('subtask.deleted', (payload) => ({
  entityType: 'subtask',
  entityId: payload.subtask_id,
  action: 'subtask_deleted',
  metadata: { task_id: payload.task_id },
}));

/** Logged against the task whose subtasks were reordered. */
export const SubtasksReordered = defineEvent<SubtasksReorderedPayload>('subtasks.reordered', (payload) => ({
  entityType: 'subtask',
  entityId: payload.task_id,
  action: 'subtasks_reordered',
  metadata: { task_id: payload.task_id, order: payload.order },
}));
