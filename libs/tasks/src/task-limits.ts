import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EffectiveLimitsService, UserLimits } from '@app/achievements/effective-limits.service';
import { LimitExceededError } from '@app/core/errors/domain-error';
import { TasksRepository } from './tasks.repository';

/** The active-task limit of docs/rules.md §1: count and insert under the locked user row. */
@Injectable()
export class TaskLimits {
  constructor(
    private readonly limits: EffectiveLimitsService,
    private readonly tasks: TasksRepository,
  ) {}

  /** The caller's effective limits with the user row locked until the transaction ends. */
  lockedFor(manager: EntityManager, userId: string): Promise<UserLimits> {
    return this.limits.forUser(userId, manager, true);
  }

  /** Read without locking (description length, subtask limits under the task-row lock). */
  readFor(manager: EntityManager, userId: string): Promise<UserLimits> {
    return this.limits.forUser(userId, manager, false);
  }

  /** `current + count > limit` is refused with `current` = active tasks before the request. */
  async assertActiveRoom(manager: EntityManager, userId: string, limits: UserLimits, count = 1): Promise<void> {
    const current = await this.tasks.countActive(manager, userId);
    if (current + count > limits.maxActiveTasks) {
      throw new LimitExceededError(
        `Active task limit reached (${limits.maxActiveTasks}); complete, hide or archive tasks first`,
        limits.maxActiveTasks,
        current,
      );
    }
  }
}
