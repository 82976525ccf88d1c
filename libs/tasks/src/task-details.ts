import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@app/core/errors/domain-error';
import { owned } from '@app/core/errors/owned';
import type { TaskDetailView } from './dto/task-detail-response.dto';
import type { TaskView } from './dto/task-response.dto';
import { userChecked } from './ownership';
import { TasksRepository } from './tasks.repository';

/**
 * Reads a TaskDetail: the task with counts, its subtasks by order_index and reminders by
 * scheduled_at, in one statement.
 */
@Injectable()
export class TaskDetails {
  constructor(private readonly tasks: TasksRepository) {}

  /** The task with its subtask counts (the Task representation's data). */
  async view(taskId: string, manager?: EntityManager): Promise<TaskView> {
    const view = await this.tasks.findView(taskId, manager);
    if (!view) throw new NotFoundError('Task');
    return view;
  }

  async load(taskId: string, manager?: EntityManager): Promise<TaskDetailView> {
    const detail = await this.tasks.findDetail(taskId, manager);
    if (!detail) throw new NotFoundError('Task');
    return detail;
  }

  /**
   * The caller's task as a TaskDetail: the caller gone → 401, unknown → 404, another user's → 403,
   * all checked on the same read (docs/round-trips.md §1).
   */
  async loadOwned(userId: string, taskId: string): Promise<TaskDetailView> {
    const detail = userChecked(await this.tasks.findDetailChecked(userId, taskId));
    owned(detail?.task ?? null, userId, 'Task');
    return detail!;
  }
}
