import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@app/core/errors/domain-error';
import type { TaskDetailView } from './dto/task-detail-response.dto';
import type { TaskView } from './dto/task-response.dto';
import { owned } from './ownership';
import { RemindersRepository } from './reminders/reminders.repository';
import { SubtasksRepository } from './subtasks/subtasks.repository';
import { TasksRepository } from './tasks.repository';

/** Reads a TaskDetail: the task with counts, its subtasks by order_index and reminders by scheduled_at. */
@Injectable()
export class TaskDetails {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly subtasks: SubtasksRepository,
    private readonly reminders: RemindersRepository,
  ) {}

  /** The task with its subtask counts (the Task representation's data). */
  async view(taskId: string, manager?: EntityManager): Promise<TaskView> {
    const view = await this.tasks.findView(taskId, manager);
    if (!view) throw new NotFoundError('Task');
    return view;
  }

  async load(taskId: string, manager?: EntityManager): Promise<TaskDetailView> {
    return this.withChildren(await this.view(taskId, manager), manager);
  }

  /** The caller's task as a TaskDetail: unknown → 404, another user's → 403 (checked on the same read). */
  async loadOwned(userId: string, taskId: string): Promise<TaskDetailView> {
    const view = await this.tasks.findView(taskId);
    owned(view?.task ?? null, userId, 'Task');
    return this.withChildren(view!);
  }

  private async withChildren(view: TaskView, manager?: EntityManager): Promise<TaskDetailView> {
    const subtasks = await this.subtasks.listByTask(view.task.id, manager);
    const reminders = await this.reminders.listByTask(view.task.id, manager);
    return { ...view, subtasks, reminders };
  }
}
