import type { ReminderEntity, SubtaskEntity, TaskEntity } from '@app/core/database/entities';
import type { ReminderMethod, ReminderType, SubtaskSource } from '@app/core/database/enums';
import { fromTaskJson, TaskJson, toTaskJson } from '@app/tasks/task-columns';

/** Every column of the task, its subtasks and reminders (docs/data-model.md §9), timestamps as ISO strings. */
export interface TaskSnapshot {
  task: TaskJson;
  subtasks: Array<{
    id: string;
    task_id: string;
    title: string;
    completed: boolean;
    completed_at: string | null;
    order_index: number;
    source: SubtaskSource;
    created_at: string;
    updated_at: string;
  }>;
  reminders: Array<{
    id: string;
    task_id: string;
    user_id: string;
    type: ReminderType;
    offset_minutes: number | null;
    scheduled_at: string;
    method: ReminderMethod;
    fired: boolean;
    fired_at: string | null;
    skipped: boolean;
    created_at: string;
    updated_at: string;
  }>;
}

export interface RestoredTask {
  task: TaskEntity;
  subtasks: SubtaskEntity[];
  reminders: ReminderEntity[];
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);
const date = (value: string | null): Date | null => (value === null ? null : new Date(value));

export function snapshotOf(task: TaskEntity, subtasks: SubtaskEntity[], reminders: ReminderEntity[]): TaskSnapshot {
  return {
    task: toTaskJson(task),
    subtasks: subtasks.map((subtask) => ({
      id: subtask.id,
      task_id: subtask.taskId,
      title: subtask.title,
      completed: subtask.completed,
      completed_at: iso(subtask.completedAt),
      order_index: subtask.orderIndex,
      source: subtask.source,
      created_at: subtask.createdAt.toISOString(),
      updated_at: subtask.updatedAt.toISOString(),
    })),
    reminders: reminders.map((reminder) => ({
      id: reminder.id,
      task_id: reminder.taskId,
      user_id: reminder.userId,
      type: reminder.type,
      offset_minutes: reminder.offsetMinutes,
      scheduled_at: reminder.scheduledAt.toISOString(),
      method: reminder.method,
      fired: reminder.fired,
      fired_at: iso(reminder.firedAt),
      skipped: reminder.skipped,
      created_at: reminder.createdAt.toISOString(),
      updated_at: reminder.updatedAt.toISOString(),
    })),
  };
}

/** The rows exactly as deleted (ids, timestamps, version and flags included). */
export function restoreSnapshot(snapshot: TaskSnapshot): RestoredTask {
  return {
    task: fromTaskJson(snapshot.task),
    subtasks: snapshot.subtasks.map((subtask) => ({
      id: subtask.id,
      taskId: subtask.task_id,
      title: subtask.title,
      completed: subtask.completed,
      completedAt: date(subtask.completed_at),
      orderIndex: subtask.order_index,
      source: subtask.source,
      createdAt: new Date(subtask.created_at),
      updatedAt: new Date(subtask.updated_at),
    })),
    reminders: snapshot.reminders.map((reminder) => ({
      id: reminder.id,
      taskId: reminder.task_id,
      userId: reminder.user_id,
      type: reminder.type,
      offsetMinutes: reminder.offset_minutes,
      scheduledAt: new Date(reminder.scheduled_at),
      method: reminder.method,
      fired: reminder.fired,
      firedAt: date(reminder.fired_at),
      skipped: reminder.skipped,
      createdAt: new Date(reminder.created_at),
      updatedAt: new Date(reminder.updated_at),
    })),
  };
}
