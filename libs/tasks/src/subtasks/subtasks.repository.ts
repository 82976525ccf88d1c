import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SubtaskEntity } from '@app/core/database/entities';
import type { SubtaskSource } from '@app/core/database/enums';

interface SubtaskRow {
  id: string;
  task_id: string;
  title: string;
  completed: boolean;
  completed_at: Date | null;
  order_index: number;
  source: SubtaskSource;
  created_at: Date;
  updated_at: Date;
}

function toSubtask(row: SubtaskRow): SubtaskEntity {
  return Object.assign(new SubtaskEntity(), {
    id: row.id,
    taskId: row.task_id,
    title: row.title,
    completed: row.completed,
    completedAt: row.completed_at,
    orderIndex: row.order_index,
    source: row.source,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** A subtasks row as `json_agg` renders it: timestamps as text. */
export type SubtaskJson = Omit<SubtaskRow, 'completed_at' | 'created_at' | 'updated_at'> & {
  completed_at: string | null;
  created_at: string;
  updated_at: string;
};

export function subtaskFromJson(row: SubtaskJson): SubtaskEntity {
  return toSubtask({
    ...row,
    completed_at: row.completed_at === null ? null : new Date(row.completed_at),
    created_at: new Date(row.created_at),
    updated_at: new Date(row.updated_at),
  });
}

/** Subtask rows; callers lock the parent task row before any write (docs/data-model.md §5). */
@Injectable()
export class SubtasksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A task's subtasks by order_index: one plain statement, as every task detail reads it. */
  async listByTask(taskId: string, manager: EntityManager = this.dataSource.manager): Promise<SubtaskEntity[]> {
    const rows: SubtaskRow[] = await manager.query('SELECT * FROM subtasks WHERE task_id = $1 ORDER BY order_index', [
      taskId,
    ]);
    return rows.map(toSubtask);
  }

  findById(manager: EntityManager, id: string): Promise<SubtaskEntity | null> {
    return manager.findOne(SubtaskEntity, { where: { id } });
  }

  /** The subtasks named by `ids` with their task's owner, for reorder checks. */
  findOwnedBy(manager: EntityManager, ids: string[]): Promise<Array<{ id: string; task_id: string; user_id: string }>> {
    return manager.query(
      `SELECT s.id, s.task_id, t.user_id FROM subtasks s JOIN task_instances t ON t.id = s.task_id WHERE s.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  count(manager: EntityManager, taskId: string): Promise<number> {
    return manager.count(SubtaskEntity, { where: { taskId } });
  }

  countIncomplete(manager: EntityManager, taskId: string): Promise<number> {
    return manager.count(SubtaskEntity, { where: { taskId, completed: false } });
  }

  async insert(manager: EntityManager, subtasks: SubtaskEntity[]): Promise<SubtaskEntity[]> {
    if (subtasks.length > 0) await manager.insert(SubtaskEntity, subtasks);
    return subtasks;
  }

  async update(
    manager: EntityManager,
    subtask: SubtaskEntity,
    changes: Partial<SubtaskEntity>,
  ): Promise<SubtaskEntity> {
    await manager.update(SubtaskEntity, { id: subtask.id }, changes);
    return manager.merge<SubtaskEntity>(SubtaskEntity, subtask, changes);
  }

  /** Deletes one subtask and closes the gap it leaves in `order_index`. */
  async deleteAndCloseGap(manager: EntityManager, subtask: SubtaskEntity, now: Date): Promise<void> {
    await manager.delete(SubtaskEntity, { id: subtask.id });
    await manager.query(
      `UPDATE subtasks SET order_index = order_index - 1, updated_at = $3 WHERE task_id = $1 AND order_index > $2`,
      [subtask.taskId, subtask.orderIndex, now],
    );
  }

  /** Sets `order_index` to each id's position; the unique constraint is checked at commit (deferred). */
  async reorder(manager: EntityManager, taskId: string, ids: string[], now: Date): Promise<void> {
    await manager.query(
      `UPDATE subtasks s SET order_index = v.position - 1, updated_at = $3
       FROM unnest($2::uuid[]) WITH ORDINALITY AS v(id, position)
       WHERE s.id = v.id AND s.task_id = $1 AND s.order_index <> v.position - 1`,
      [taskId, ids, now],
    );
  }

  /** Completes every incomplete subtask with the same `completed_at`; returns their ids (force-complete). */
  async completeAll(manager: EntityManager, taskId: string, now: Date): Promise<string[]> {
    const [rows]: [Array<{ id: string }>, number] = await manager.query(
      `UPDATE subtasks SET completed = true, completed_at = $2, updated_at = $2
       WHERE task_id = $1 AND completed = false RETURNING id`,
      [taskId, now],
    );
    return rows.map((row) => row.id);
  }
}
