import type { TaskEntity } from '@app/core/database/entities';
import type { TaskCompletionMode, TaskPriority } from '@app/core/database/enums';
import { ValidationError } from '@app/core/errors/domain-error';
import { codePointLength } from '@app/core/validation/validators';

const DAY_MS = 86_400_000;
/** Maximum task duration: a client-set due date is at most this many days after creation (docs/rules.md §3.5). */
export const DUE_DATE_WINDOW_DAYS = 30;

/** `due_date ≤ base + 30 days` (the boundary itself allowed); past dates are fine. */
export function assertDueDateWithinWindow(dueDate: Date, base: Date): void {
  if (dueDate.getTime() > base.getTime() + DUE_DATE_WINDOW_DAYS * DAY_MS) {
    throw ValidationError.field('due_date', `must be at most ${DUE_DATE_WINDOW_DAYS} days after the task's creation`);
  }
}

/** The tier description limit (docs/rules.md §1), counted in code points. */
export function assertDescriptionLength(description: string, maxLength: number): void {
  if (codePointLength(description) > maxLength) {
    throw ValidationError.field('description', `must be at most ${maxLength} characters on your plan`);
  }
}

/** The fields of a task PATCH/PUT body (docs/api.md §5), already validated for shape. */
export interface TaskPatch {
  title?: string;
  description?: string | null;
  priority?: TaskPriority;
  due_date?: Date | null;
  estimated_duration?: number | null;
  completed?: boolean;
  hidden?: boolean;
  archived?: boolean;
}

export type TaskFieldChanges = Partial<
  Pick<TaskEntity, 'title' | 'description' | 'priority' | 'dueDate' | 'estimatedDuration'>
>;

/** What a PATCH changes, in the apply order un-archive → fields → completion → hidden → archive. */
export interface TaskPatchPlan {
  unarchive: boolean;
  fields: TaskFieldChanges;
  /** API names of the fields whose value changes. */
  changedFields: string[];
  completion: 'complete' | 'reopen' | null;
  /** The new `hidden` value when it changes. */
  hidden: boolean | null;
  archive: boolean;
}

const EDIT_FIELDS = ['title', 'description', 'priority', 'due_date', 'estimated_duration', 'completed'] as const;

/**
 * On an archived task only `version`, `hidden` and `archived` may be sent, unless the body also
 * un-archives it (docs/api.md §5).
 */
export function isBlockedByArchive(task: Pick<TaskEntity, 'archived'>, patch: TaskPatch): boolean {
  return task.archived && patch.archived !== false && EDIT_FIELDS.some((field) => patch[field] !== undefined);
}

export function planTaskPatch(task: TaskEntity, patch: TaskPatch): TaskPatchPlan {
  const fields: TaskFieldChanges = {};
  const changedFields: string[] = [];
  if (patch.title !== undefined && patch.title !== task.title) {
    fields.title = patch.title;
    changedFields.push('title');
  }
  const description = patch.description === null ? '' : patch.description;
  if (description !== undefined && description !== task.description) {
    fields.description = description;
    changedFields.push('description');
  }
  if (patch.priority !== undefined && patch.priority !== task.priority) {
    fields.priority = patch.priority;
    changedFields.push('priority');
  }
  if (patch.due_date !== undefined && !sameInstant(patch.due_date, task.dueDate)) {
    fields.dueDate = patch.due_date;
    changedFields.push('due_date');
  }
  if (patch.estimated_duration !== undefined && patch.estimated_duration !== task.estimatedDuration) {
    fields.estimatedDuration = patch.estimated_duration;
    changedFields.push('estimated_duration');
  }
  return {
    unarchive: patch.archived === false && task.archived,
    fields,
    changedFields,
    completion:
      patch.completed === true && !task.completed
        ? 'complete'
        : patch.completed === false && task.completed
          ? 'reopen'
          : null,
    hidden: patch.hidden !== undefined && patch.hidden !== task.hidden ? patch.hidden : null,
    archive: patch.archived === true && !task.archived,
  };
}

/** Rules that need the stored task: the 30-day window for a changed due date (instances exempt). */
export function assertPatchedDueDate(task: TaskEntity, plan: TaskPatchPlan): void {
  const dueDate = plan.fields.dueDate;
  if (dueDate && task.templateId === null) assertDueDateWithinWindow(dueDate, task.createdAt);
}

export function completionFields(
  mode: TaskCompletionMode,
  now: Date,
): Pick<TaskEntity, 'completed' | 'completedAt' | 'completedBy'> {
  return { completed: true, completedAt: now, completedBy: mode };
}

export function reopenFields(): Pick<TaskEntity, 'completed' | 'completedAt' | 'completedBy'> {
  return { completed: false, completedAt: null, completedBy: null };
}

function sameInstant(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}
