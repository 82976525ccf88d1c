import { randomUUID } from 'node:crypto';
import type { TaskEntity } from '@app/core/database/entities';
import type { TaskPriority } from '@app/core/database/enums';

/** What a new task instance is given by its creator: a user's create, or its recurring template. */
export interface NewTaskFields {
  userId: string;
  title: string;
  description: string;
  priority: TaskPriority;
  dueDate: Date | null;
  estimatedDuration: number | null;
  templateId: string | null;
  generatedFromTaskId: string | null;
}

/**
 * The one definition of a task instance's starting state (docs/data-model.md §4): open, visible,
 * version 1, no focus time, not counted in statistics yet.
 */
export function newTaskRow(fields: NewTaskFields, now: Date): Partial<TaskEntity> {
  return {
    id: randomUUID(),
    ...fields,
    focusTimeSeconds: 0,
    completed: false,
    completedAt: null,
    completedBy: null,
    statsCounted: false,
    hidden: false,
    archived: false,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
