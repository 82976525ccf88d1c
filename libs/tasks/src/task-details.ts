import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotFoundError } from '@app/core/errors/domain-error';
import type { TaskDetailView } from './dto/task-detail-response.dto';
import type { TaskView } from './dto/task-response.dto';
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
    const view = await this.view(taskId, manager);
    const subtasks = await this.subtasks.listByTask(taskId, manager);
    const reminders = await this.reminders.listByTask(taskId, manager);
    return { ...view, subtasks, reminders };
  }
}
