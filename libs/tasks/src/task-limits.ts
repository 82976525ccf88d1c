import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EffectiveLimitsService, UserLimits } from '@app/limits/effective-limits.service';
import { assertWithinLimit } from '@app/limits/limit-check';
import type { TaskEntity } from '@app/core/database/entities';
import { LimitExceededError, NotFoundError } from '@app/core/errors/domain-error';
import type { ActivityRow } from '@app/core/events/domain-event';
import { UserGoneError } from '@app/core/http/route-user-check';
import { TasksRepository } from './tasks.repository';

/** The active-task limit of docs/rules.md §1: count and insert under the locked user row. */
@Injectable()
export class TaskLimits {
  constructor(
    private readonly limits: EffectiveLimitsService,
    private readonly tasks: TasksRepository,
  ) {}

  /**
   * The caller's effective limits with the user row locked until the transaction ends; no user
   * row means the caller is gone (401): this lock is the user check of `POST /tasks`
   * (docs/round-trips.md §1).
   */
  async lockedFor(manager: EntityManager, userId: string): Promise<UserLimits> {
    try {
      return await this.limits.forUser(userId, manager, true);
    } catch (error) {
      throw error instanceof NotFoundError ? new UserGoneError() : error;
    }
  }

  /** Read without locking (description length, subtask limits under the task-row lock). */
  readFor(manager: EntityManager, userId: string): Promise<UserLimits> {
    return this.limits.forUser(userId, manager, false);
  }

  /** `current + count > limit` is refused with `current` = active tasks before the request. */
  async assertActiveRoom(manager: EntityManager, userId: string, limits: UserLimits, count = 1): Promise<void> {
    const current = await this.tasks.countActive(manager, userId);
    assertWithinLimit(current, count, limits.maxActiveTasks, activeTaskLimitMessage(limits));
  }

  /** Inserts one active task and its activity entry if there is room (count and insert in one statement). */
  async insertWithinLimit(
    manager: EntityManager,
    task: TaskEntity,
    limits: UserLimits,
    activity: ActivityRow,
  ): Promise<void> {
    const { inserted, active } = await this.tasks.insertIfRoom(manager, task, limits.maxActiveTasks, activity);
    // The statement compared `active + 1` with the limit itself: only the refusal is left to raise.
    if (!inserted) throw new LimitExceededError(activeTaskLimitMessage(limits), limits.maxActiveTasks, active);
  }
}

function activeTaskLimitMessage(limits: UserLimits): string {
  return `Active task limit reached (${limits.maxActiveTasks}); complete, hide or archive tasks first`;
}
