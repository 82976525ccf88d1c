import type { ReminderEntity, SubtaskEntity, TaskEntity } from '@app/core/database/entities';
import { restoreSnapshot, snapshotOf } from './task-snapshot';

const at = (iso: string): Date => new Date(iso);

const task: TaskEntity = {
  id: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e',
  userId: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40',
  templateId: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9',
  generatedFromTaskId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  title: 'Report',
  description: 'notes',
  priority: 'high',
  dueDate: at('2026-01-10T12:00:00.000Z'),
  estimatedDuration: 30,
  focusTimeSeconds: 120,
  completed: true,
  completedAt: at('2026-01-09T12:00:00.123Z'),
  completedBy: 'force',
  statsCounted: true,
  hidden: true,
  archived: false,
  version: 7,
  createdAt: at('2026-01-01T00:00:00.000Z'),
  updatedAt: at('2026-01-09T12:00:00.123Z'),
};

const subtask: SubtaskEntity = {
  id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  taskId: task.id,
  title: 'Numbers',
  completed: true,
  completedAt: at('2026-01-09T12:00:00.123Z'),
  orderIndex: 0,
  source: 'ai',
  createdAt: at('2026-01-02T00:00:00.000Z'),
  updatedAt: at('2026-01-09T12:00:00.123Z'),
};

const reminder: ReminderEntity = {
  id: '2b4d6f8a-0c1e-4a3b-9d5f-7e9a1c3e5b7d',
  taskId: task.id,
  userId: task.userId,
  type: 'before',
  offsetMinutes: 30,
  scheduledAt: at('2026-01-10T11:30:00.000Z'),
  method: 'push',
  fired: false,
  firedAt: null,
  skipped: false,
  createdAt: at('2026-01-02T00:00:00.000Z'),
  updatedAt: at('2026-01-02T00:00:00.000Z'),
};

describe(snapshotOf.name, () => {
  it('should keep every column, internal ones included, as JSON', () => {
    const snapshot = snapshotOf(task, [subtask], [reminder]);
    expect(snapshot.task).toMatchObject({
      version: 7,
      stats_counted: true,
      template_id: task.templateId,
      generated_from_task_id: task.generatedFromTaskId,
      completed_at: '2026-01-09T12:00:00.123Z',
    });
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });

  it('should restore exactly the rows it was taken from', () => {
    const snapshot = JSON.parse(JSON.stringify(snapshotOf(task, [subtask], [reminder])));
    expect(restoreSnapshot(snapshot)).toEqual({ task, subtasks: [subtask], reminders: [reminder] });
  });
});
