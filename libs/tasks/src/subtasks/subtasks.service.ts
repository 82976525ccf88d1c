import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { UnlockedAchievementDto } from '@app/achievements/dto/unlocked-achievement.dto';
import { SubtaskEntity, TaskEntity } from '@app/core/database/entities';
import type { ActivitySource, SubtaskSource } from '@app/core/database/enums';
import { ForbiddenError, LimitExceededError, NotFoundError, ValidationError } from '@app/core/errors/domain-error';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { TaskAccess } from '../task-access';
import { TaskCompletion } from '../task-completion.service';
import { TaskLimits } from '../task-limits';
import type { SubtaskOrderResponseDto } from './dto/subtask-order-response.dto';
import { SubtaskResponseDto, toSubtaskResponse } from './dto/subtask-response.dto';
import type { SubtaskUpdateResponseDto } from './dto/subtask-update-response.dto';
import type { UpdateSubtaskDto } from './dto/update-subtask.dto';
import { SubtaskCompleted, SubtaskCreated, SubtaskDeleted, SubtasksReordered, SubtaskUpdated } from './subtask.events';
import { SubtasksRepository } from './subtasks.repository';

/** Subtask use cases; every write locks the parent task row first (docs/data-model.md §5). */
@Injectable()
export class SubtasksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly subtasks: SubtasksRepository,
    private readonly access: TaskAccess,
    private readonly limits: TaskLimits,
    private readonly completion: TaskCompletion,
  ) {}

  async list(userId: string, taskId: string): Promise<SubtaskResponseDto[]> {
    await this.access.findOwned(userId, taskId);
    return (await this.subtasks.listByTask(taskId)).map(toSubtaskResponse);
  }

  async create(userId: string, taskId: string, title: string): Promise<SubtaskResponseDto> {
    const [created] = await this.uow.run((tx) => this.createMany(tx, userId, taskId, [title], 'user'));
    return toSubtaskResponse(created);
  }

  /**
   * Appends subtasks at the next order_index (all or nothing against the tier limit of 4/10).
   * Adding to a completed task does not re-open it.
   */
  async createMany(
    tx: Transaction,
    userId: string,
    taskId: string,
    titles: string[],
    source: SubtaskSource,
  ): Promise<SubtaskEntity[]> {
    await this.access.lockWritable(tx.manager, userId, taskId);
    const { maxSubtasksPerTask } = await this.limits.readFor(tx.manager, userId);
    const current = await this.subtasks.count(tx.manager, taskId);
    if (current + titles.length > maxSubtasksPerTask) {
      throw new LimitExceededError(
        `A task can have at most ${maxSubtasksPerTask} subtasks on your plan`,
        maxSubtasksPerTask,
        current,
      );
    }
    const now = new Date();
    const created = await this.subtasks.insert(
      tx.manager,
      titles.map((title, index) =>
        tx.manager.create(SubtaskEntity, {
          id: randomUUID(),
          taskId,
          title,
          completed: false,
          completedAt: null,
          orderIndex: current + index,
          source,
          createdAt: now,
          updatedAt: now,
        }),
      ),
    );
    for (const subtask of created) {
      await tx.emit(SubtaskCreated, { subtask_id: subtask.id, task_id: taskId }, { userId, source, occurredAt: now });
    }
    return created;
  }

  /**
   * Completing the last incomplete subtask of an incomplete task completes the task
   * (`completed_by=auto`, source system, docs/rules.md §3.1); un-completing never re-opens it.
   */
  update(userId: string, subtaskId: string, dto: UpdateSubtaskDto): Promise<SubtaskUpdateResponseDto> {
    return this.uow.run(async (tx) => {
      const { subtask, task } = await this.lockForWrite(tx, userId, subtaskId);
      const now = new Date();
      const newlyCompleted = dto.completed === true && !subtask.completed;
      const changedFields = [
        ...(dto.title !== undefined && dto.title !== subtask.title ? ['title'] : []),
        ...(dto.completed === false && subtask.completed ? ['completed'] : []),
      ];
      if (changedFields.length === 0 && !newlyCompleted) {
        return { ...toSubtaskResponse(subtask), task_auto_completed: false, unlocked_achievements: [] };
      }
      const updated = await this.subtasks.update(tx.manager, subtask, {
        ...(changedFields.includes('title') ? { title: dto.title } : {}),
        ...(newlyCompleted ? { completed: true, completedAt: now } : {}),
        ...(changedFields.includes('completed') ? { completed: false, completedAt: null } : {}),
        updatedAt: now,
      });
      const ref = { subtask_id: subtask.id, task_id: task.id };
      const options = { userId, source: 'user' as ActivitySource, occurredAt: now };
      if (changedFields.length > 0) await tx.emit(SubtaskUpdated, { ...ref, changed_fields: changedFields }, options);
      let autoCompleted = false;
      let unlocked: UnlockedAchievementDto[] = [];
      if (newlyCompleted) {
        await tx.emit(SubtaskCompleted, { ...ref, auto_check: true }, options);
        if (!task.completed && (await this.subtasks.countIncomplete(tx.manager, task.id)) === 0) {
          unlocked = (await this.completion.complete(tx, task, 'auto', 'system', now)).progress.unlocked;
          autoCompleted = true;
        }
      }
      return {
        ...toSubtaskResponse(updated),
        task_auto_completed: autoCompleted,
        unlocked_achievements: unlocked,
      };
    });
  }

  /**
   * Check order of docs/api.md §6 after the task checks: another user's subtask (403) → unknown id or
   * another task's subtask (404) → ids of this task missing (400). The list shape was validated.
   */
  reorder(userId: string, taskId: string, ids: string[]): Promise<SubtaskOrderResponseDto[]> {
    return this.uow.run(async (tx) => {
      await this.access.lockWritable(tx.manager, userId, taskId);
      const found = await this.subtasks.findOwnedBy(tx.manager, ids);
      if (found.some((row) => row.user_id !== userId)) throw new ForbiddenError();
      if (found.length !== ids.length || found.some((row) => row.task_id !== taskId))
        throw new NotFoundError('Subtask');
      if ((await this.subtasks.count(tx.manager, taskId)) !== ids.length) {
        throw ValidationError.field('subtask_ids', 'must contain every subtask id of the task exactly once');
      }
      const now = new Date();
      await this.subtasks.reorder(tx.manager, taskId, ids, now);
      await tx.emit(SubtasksReordered, { task_id: taskId, order: ids }, { userId, source: 'user', occurredAt: now });
      return ids.map((id, index) => ({ id, order_index: index }));
    });
  }

  /** Deletes and closes the order gap; never auto-completes the task. */
  delete(userId: string, subtaskId: string): Promise<void> {
    return this.uow.run(async (tx) => {
      const { subtask, task } = await this.lockForWrite(tx, userId, subtaskId);
      const now = new Date();
      await this.subtasks.deleteAndCloseGap(tx.manager, subtask, now);
      await tx.emit(
        SubtaskDeleted,
        { subtask_id: subtask.id, task_id: task.id },
        { userId, source: 'user', occurredAt: now },
      );
    });
  }

  /** The subtask (404), its task (403, locked, 409 ARCHIVED) and the subtask re-read under the lock. */
  private async lockForWrite(
    tx: Transaction,
    userId: string,
    subtaskId: string,
  ): Promise<{ subtask: SubtaskEntity; task: TaskEntity }> {
    const found = await this.subtasks.findById(tx.manager, subtaskId);
    if (!found) throw new NotFoundError('Subtask');
    const task = await this.access.lockWritable(tx.manager, userId, found.taskId);
    const subtask = await this.subtasks.findById(tx.manager, subtaskId);
    if (!subtask) throw new NotFoundError('Subtask');
    return { subtask, task };
  }
}
