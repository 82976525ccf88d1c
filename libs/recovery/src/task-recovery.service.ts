import { Injectable } from '@nestjs/common';
import { ConflictError } from '@app/core/errors/domain-error';
import { owned } from '@app/core/errors/owned';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { TaskDetailResponseDto, toTaskDetailResponse } from '@app/tasks/dto/task-detail-response.dto';
import { RemindersRepository } from '@app/reminders/reminders.repository';
import { SubtasksRepository } from '@app/tasks/subtasks/subtasks.repository';
import { TaskDetails } from '@app/tasks/task-details';
import { TaskRecovered } from '@app/tasks/task.events';
import { TasksRepository } from '@app/tasks/tasks.repository';
import { TemplatesRepository } from '@app/tasks/templates/templates.repository';
import { TombstoneResponseDto, toTombstoneResponse } from './dto/tombstone-response.dto';
import { RestoredTask, restoreSnapshot, TaskSnapshot } from './task-snapshot';
import { TombstonesRepository } from './tombstones.repository';

/**
 * Recovery (docs/rules.md §9): restores the snapshot exactly (id, timestamps, version, flags,
 * subtasks, reminders) without limits, statistics or recurring generation; the `task.recovered`
 * handler marks reminders whose time has passed as skipped.
 */
@Injectable()
export class TaskRecoveryService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tombstones: TombstonesRepository,
    private readonly tasks: TasksRepository,
    private readonly subtasks: SubtasksRepository,
    private readonly reminders: RemindersRepository,
    private readonly templates: TemplatesRepository,
    private readonly details: TaskDetails,
    private readonly metrics: MetricsService,
  ) {}

  async listRecoverable(userId: string): Promise<TombstoneResponseDto[]> {
    return (await this.tombstones.listRecoverable(userId, new Date())).map(toTombstoneResponse);
  }

  /** 404 for unknown, consumed or expired tombstones; 403 for another user's; 409 if the id is taken. */
  recover(userId: string, tombstoneId: string): Promise<TaskDetailResponseDto> {
    return this.uow.run(async (tx) => {
      const now = new Date();
      const found = await this.tombstones.lockById(tx.manager, tombstoneId);
      const recoverable = found?.entityType === 'task' && found.recoverableUntil.getTime() > now.getTime();
      const tombstone = owned(recoverable ? found : null, userId, 'Tombstone');
      const restored = restoreSnapshot(tombstone.entityData as unknown as TaskSnapshot);
      if (await this.tasks.findById(restored.task.id, tx.manager)) {
        throw new ConflictError('A task with the original id exists; it cannot be recovered twice');
      }
      await this.restore(tx, restored);
      await this.tombstones.delete(tx.manager, tombstone.id);
      await tx.emit(
        TaskRecovered,
        { task_id: restored.task.id, tombstone_id: tombstone.id },
        { userId, source: 'user', occurredAt: now },
      );
      this.metrics.taskOperations.inc({ operation: 'recover' });
      return toTaskDetailResponse(await this.details.load(restored.task.id, tx.manager));
    });
  }

  /** `template_id` only if the template still exists; `generated_from_task_id` only if still free. */
  private async restore(tx: Transaction, { task, subtasks, reminders }: RestoredTask): Promise<void> {
    const templateExists =
      task.templateId !== null && (await this.templates.findById(task.templateId, tx.manager)) !== null;
    const sourceTaken =
      task.generatedFromTaskId !== null && (await this.templates.successorExists(tx.manager, task.generatedFromTaskId));
    await this.tasks.insert(tx.manager, {
      ...task,
      templateId: templateExists ? task.templateId : null,
      generatedFromTaskId: sourceTaken ? null : task.generatedFromTaskId,
    });
    await this.subtasks.insert(tx.manager, subtasks);
    for (const reminder of reminders) await this.reminders.insert(tx.manager, reminder);
  }
}
