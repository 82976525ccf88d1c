import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TaskEntity } from '@app/core/database/entities';
import { ArchivedError, ForbiddenError, NotFoundError } from '@app/core/errors/domain-error';
import { owned } from '@app/core/errors/owned';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { toTaskResponse } from './dto/task-response.dto';
import { userChecked } from './ownership';
import { TaskDetails } from './task-details';
import { TaskVersionConflictError } from './tasks.errors';
import { TasksRepository } from './tasks.repository';

/** Existence, ownership, version and archived checks shared by every task-scoped write. */
@Injectable()
export class TaskAccess {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly details: TaskDetails,
    private readonly metrics: MetricsService,
  ) {}

  async findOwned(userId: string, taskId: string, manager?: EntityManager): Promise<TaskEntity> {
    return owned(await this.tasks.findById(taskId, manager), userId, 'Task');
  }

  /**
   * Locks the caller's task row for the rest of the transaction (another user's row is never
   * locked): unknown → 404, another user's → 403, the caller gone → 401.
   */
  async lockOwned(manager: EntityManager, userId: string, taskId: string): Promise<TaskEntity> {
    const lock = userChecked(await this.tasks.lockOwned(manager, userId, taskId));
    if (lock.kind === 'missing') throw new NotFoundError('Task');
    if (lock.kind === 'forbidden') throw new ForbiddenError();
    return lock.task;
  }

  /** Locks an archivable child's parent row and refuses writes under an archived task. */
  async lockWritable(manager: EntityManager, userId: string, taskId: string): Promise<TaskEntity> {
    const task = await this.lockOwned(manager, userId, taskId);
    if (task.archived) throw new ArchivedError('Task');
    return task;
  }

  /** A present `version` must equal the stored one (docs/api.md §1.7); absent means last write wins. */
  async assertVersion(manager: EntityManager, task: TaskEntity, expected: number | undefined): Promise<void> {
    if (expected === undefined || expected === task.version) return;
    this.metrics.taskVersionConflicts.inc();
    throw new TaskVersionConflictError(toTaskResponse(await this.details.view(task.id, manager)));
  }
}
