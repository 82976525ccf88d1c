import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DeletionTombstoneEntity } from '@app/core/database/entities';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { FocusService } from '@app/focus/focus.service';
import { RemindersRepository } from '@app/reminders/reminders.repository';
import { SubtasksRepository } from '@app/tasks/subtasks/subtasks.repository';
import { TaskAccess } from '@app/tasks/task-access';
import { TaskDeleted } from '@app/tasks/task.events';
import { TasksRepository } from '@app/tasks/tasks.repository';
import type { TaskDeletedResponseDto } from './dto/task-deleted-response.dto';
import { MAX_TOMBSTONES_PER_USER, RECOVERY_WINDOW_MS } from './recovery-rules';
import { snapshotOf } from './task-snapshot';
import { TombstonesRepository } from './tombstones.repository';

/** `DELETE /tasks/{id}` (docs/rules.md §9): focus ended, snapshot tombstone written, row hard-deleted. */
@Injectable()
export class TaskDeletionService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: TaskAccess,
    private readonly tasks: TasksRepository,
    private readonly subtasks: SubtasksRepository,
    private readonly reminders: RemindersRepository,
    private readonly tombstones: TombstonesRepository,
    private readonly focus: FocusService,
    private readonly metrics: MetricsService,
  ) {}

  delete(userId: string, taskId: string): Promise<TaskDeletedResponseDto> {
    return this.uow.run(async (tx) => {
      let task = await this.access.lockOwned(tx.manager, userId, taskId);
      const now = new Date();
      const ended = await this.focus.endActiveOnTask(tx, userId, taskId, now, 'user');
      if (ended) task = { ...task, focusTimeSeconds: ended.focusTimeSeconds, updatedAt: now };
      const snapshot = snapshotOf(
        task,
        await this.subtasks.listByTask(taskId, tx.manager),
        await this.reminders.listByTask(taskId, tx.manager),
      );
      await this.tombstones.lockUserTombstones(tx.manager, userId);
      const tombstone = await this.tombstones.insert(
        tx.manager,
        tx.manager.create(DeletionTombstoneEntity, {
          id: randomUUID(),
          userId,
          entityType: 'task',
          entityId: taskId,
          entityData: snapshot as unknown as Record<string, unknown>,
          deletedAt: now,
          recoverableUntil: new Date(now.getTime() + RECOVERY_WINDOW_MS),
        }),
      );
      await this.tombstones.keepNewest(tx.manager, userId, MAX_TOMBSTONES_PER_USER);
      await this.tasks.delete(tx.manager, taskId);
      await tx.emit(
        TaskDeleted,
        { task_id: taskId, tombstone_id: tombstone.id },
        { userId, source: 'user', occurredAt: now },
      );
      this.metrics.taskOperations.inc({ operation: 'delete' });
      return {
        id: taskId,
        deleted: true,
        tombstone_id: tombstone.id,
        recoverable_until: tombstone.recoverableUntil.toISOString(),
      };
    });
  }
}
