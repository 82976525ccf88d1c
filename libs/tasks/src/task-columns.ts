import { TaskEntity } from '@app/core/database/entities';

/**
 * The task row (docs/data-model.md §4): each entity property and its column, in table order. The
 * one list that statements, row mappers and snapshots of a task are built from; the compiler
 * refuses it when the entity gains or loses a property. Statements name the columns one by one:
 * a named statement's result columns must not change under a running API when a migration adds a
 * column (`*` would fail with "cached plan must not change result type").
 */
const TASK_COLUMNS = {
  id: 'id',
  userId: 'user_id',
  templateId: 'template_id',
  generatedFromTaskId: 'generated_from_task_id',
  title: 'title',
  description: 'description',
  priority: 'priority',
  dueDate: 'due_date',
  estimatedDuration: 'estimated_duration',
  focusTimeSeconds: 'focus_time_seconds',
  completed: 'completed',
  completedAt: 'completed_at',
  completedBy: 'completed_by',
  statsCounted: 'stats_counted',
  hidden: 'hidden',
  archived: 'archived',
  version: 'version',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
} as const satisfies Record<keyof TaskEntity, string>;

type TaskProperty = keyof typeof TASK_COLUMNS;

/** A task as a statement returns it (snake_case columns). */
export type TaskRow = { [P in TaskProperty as (typeof TASK_COLUMNS)[P]]: TaskEntity[P] };

/** A task row in JSON (a tombstone's snapshot): timestamps as ISO strings. */
export type TaskJson = {
  [C in keyof TaskRow]: TaskRow[C] extends Date ? string : TaskRow[C] extends Date | null ? string | null : TaskRow[C];
};

type TimestampProperty = { [P in TaskProperty]: TaskEntity[P] extends Date | null ? P : never }[TaskProperty];

/** The timestamp properties, all of them (the compiler checks): revived from a snapshot's strings. */
const TIMESTAMPS: Record<TimestampProperty, true> = {
  dueDate: true,
  completedAt: true,
  createdAt: true,
  updatedAt: true,
};

const PROPERTIES = Object.keys(TASK_COLUMNS) as TaskProperty[];

/** How many columns a task row has. */
export const TASK_COLUMN_COUNT = PROPERTIES.length;

/** The column list, each qualified by `alias` if given (`t.id, t.user_id, …`). */
export function taskColumns(alias?: string): string {
  return PROPERTIES.map((property) => (alias ? `${alias}.${TASK_COLUMNS[property]}` : TASK_COLUMNS[property])).join(
    ', ',
  );
}

/** One placeholder per column from `$first` on, in column order (the parameters are `taskValues`). */
export function taskPlaceholders(first: number): string {
  return PROPERTIES.map((_, index) => `$${first + index}`).join(', ');
}

/** The task's values in column order. */
export function taskValues(task: TaskEntity): unknown[] {
  return PROPERTIES.map((property) => task[property]);
}

export function fromTaskRow(row: TaskRow): TaskEntity {
  const values: Record<string, unknown> = {};
  for (const property of PROPERTIES) values[property] = row[TASK_COLUMNS[property]];
  return Object.assign(new TaskEntity(), values);
}

export function toTaskJson(task: TaskEntity): TaskJson {
  const json: Record<string, unknown> = {};
  for (const property of PROPERTIES) {
    const value = task[property];
    json[TASK_COLUMNS[property]] = value instanceof Date ? value.toISOString() : value;
  }
  return json as TaskJson;
}

export function fromTaskJson(json: TaskJson): TaskEntity {
  const values: Record<string, unknown> = {};
  for (const property of PROPERTIES) {
    const value = json[TASK_COLUMNS[property]];
    values[property] = property in TIMESTAMPS && typeof value === 'string' ? new Date(value) : value;
  }
  return Object.assign(new TaskEntity(), values);
}
