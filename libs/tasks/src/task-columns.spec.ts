import { TaskEntity } from '@app/core/database/entities';
import {
  fromTaskJson,
  fromTaskRow,
  TASK_COLUMN_COUNT,
  taskColumns,
  taskPlaceholders,
  toTaskJson,
} from './task-columns';

describe('task columns', () => {
  const task = Object.assign(new TaskEntity(), {
    id: 't1',
    userId: 'u1',
    templateId: null,
    generatedFromTaskId: null,
    title: 'Write',
    description: '',
    priority: 'medium',
    dueDate: new Date('2026-12-03T10:00:00.000Z'),
    estimatedDuration: 30,
    focusTimeSeconds: 0,
    completed: false,
    completedAt: null,
    completedBy: null,
    statsCounted: false,
    hidden: false,
    archived: false,
    version: 1,
    createdAt: new Date('2026-12-01T08:00:00.000Z'),
    updatedAt: new Date('2026-12-02T08:00:00.000Z'),
  });

  it('should list the nineteen columns in table order', () => {
    expect(TASK_COLUMN_COUNT).toBe(19);
    expect(taskColumns('t')).toMatch(/^t\.id, t\.user_id, t\.template_id, .*, t\.created_at, t\.updated_at$/);
    expect(taskPlaceholders(3)).toBe(Array.from({ length: 19 }, (_, i) => `$${i + 3}`).join(', '));
  });

  it('should map a row and a snapshot back to the same entity', () => {
    const json = toTaskJson(task);
    expect(json).toMatchObject({ user_id: 'u1', due_date: '2026-12-03T10:00:00.000Z', completed_at: null });
    expect(fromTaskJson(json)).toEqual(task);
    expect(
      fromTaskRow({
        ...json,
        due_date: task.dueDate,
        created_at: task.createdAt,
        updated_at: task.updatedAt,
        completed_at: null,
      }),
    ).toEqual(task);
  });
});
