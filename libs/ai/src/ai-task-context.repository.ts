import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { SubtaskEntity, TaskEntity } from '@app/core/database/entities';

/** The reads the AI features need about tasks (context, ownership of suggested task ids). */
@Injectable()
export class AiTaskContextRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The task with this id whoever owns it (the caller tells 404 from 403). */
  findTask(id: string): Promise<TaskEntity | null> {
    return this.dataSource.manager.findOneBy(TaskEntity, { id });
  }

  async userExists(userId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query('SELECT 1 FROM users WHERE id = $1', [userId]);
    return rows.length > 0;
  }

  async subtasksOf(taskId: string): Promise<Array<{ title: string; completed: boolean }>> {
    const subtasks = await this.dataSource.manager.find(SubtaskEntity, {
      where: { taskId },
      order: { orderIndex: 'ASC', id: 'ASC' },
    });
    return subtasks.map((subtask) => ({ title: subtask.title, completed: subtask.completed }));
  }

  /** Incomplete, non-hidden, non-archived tasks by due date (nulls last), at most `limit`. */
  openTasks(userId: string, limit: number): Promise<TaskEntity[]> {
    return this.dataSource.manager
      .createQueryBuilder(TaskEntity, 't')
      .where('t.user_id = :userId AND t.completed = false AND t.hidden = false AND t.archived = false', { userId })
      .orderBy('t.due_date', 'ASC', 'NULLS LAST')
      .addOrderBy('t.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  async ownedTaskIds(userId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.dataSource.manager.find(TaskEntity, {
      select: { id: true },
      where: { userId, id: In(ids) },
    });
    return new Set(rows.map((row) => row.id));
  }
}
