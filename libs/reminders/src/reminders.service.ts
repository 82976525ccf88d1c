import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ReminderEntity } from '@app/core/database/entities';
import type { ActivitySource } from '@app/core/database/enums';
import { assertWithinLimit } from '@app/limits/limit-check';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { ListEnvelope, paginated } from '@app/core/http/envelope';
import { owned } from '@app/core/errors/owned';
import { TaskAccess } from '@app/tasks/task-access';
import { TaskLimits } from '@app/tasks/task-limits';
import type { CreateReminderDto } from './dto/create-reminder.dto';
import type { ListRemindersQueryDto } from './dto/list-reminders-query.dto';
import { ReminderResponseDto, toReminderResponse } from '@app/tasks/dto/reminder-response.dto';
import type { UpdateReminderDto } from './dto/update-reminder.dto';
import { ReminderCreated, ReminderDeleted, ReminderUpdated } from './reminder.events';
import { firingStateAfterMove, resolveNewReminder, resolveReminderPatch } from './reminder-rules';
import { RemindersRepository } from './reminders.repository';

/** Reminder use cases (docs/api.md §9); writes lock the task row (≤ 5 reminders per task). */
@Injectable()
export class RemindersService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly reminders: RemindersRepository,
    private readonly access: TaskAccess,
    private readonly limits: TaskLimits,
  ) {}

  async list(userId: string, query: ListRemindersQueryDto): Promise<ListEnvelope<ReminderResponseDto>> {
    const page = { offset: query.offset, limit: query.limit };
    const { items, total } = await this.reminders.list(userId, { taskId: query.task_id, fired: query.fired }, page);
    return paginated(items.map(toReminderResponse), page, total);
  }

  async listForTask(userId: string, taskId: string): Promise<ReminderResponseDto[]> {
    await this.access.findOwned(userId, taskId);
    return (await this.reminders.listByTask(taskId)).map(toReminderResponse);
  }

  async get(userId: string, reminderId: string): Promise<ReminderResponseDto> {
    return toReminderResponse(owned(await this.reminders.findById(reminderId), userId, 'Reminder'));
  }

  /**
   * Check order: task existence/ownership → archived → due date for relative types (400 at step
   * 10) → the 5-per-task limit counting fired and skipped ones (409).
   */
  create(userId: string, taskId: string, dto: CreateReminderDto): Promise<ReminderResponseDto> {
    return this.uow.run((tx) => this.createInTx(tx, userId, taskId, dto, 'user'));
  }

  /** `create` inside the caller's transaction. */
  async createInTx(
    tx: Transaction,
    userId: string,
    taskId: string,
    dto: CreateReminderDto,
    source: ActivitySource,
  ): Promise<ReminderResponseDto> {
    const task = await this.access.lockWritable(tx.manager, userId, taskId);
    const schedule = resolveNewReminder(dto, task.dueDate);
    const { maxRemindersPerTask } = await this.limits.readFor(tx.manager, userId);
    const current = await this.reminders.countByTask(tx.manager, taskId);
    assertWithinLimit(current, 1, maxRemindersPerTask, `A task can have at most ${maxRemindersPerTask} reminders`);
    const now = new Date();
    const reminder = await this.reminders.insert(
      tx.manager,
      tx.manager.create(ReminderEntity, {
        id: randomUUID(),
        taskId,
        userId,
        ...schedule,
        fired: false,
        firedAt: null,
        skipped: false,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await tx.emit(ReminderCreated, { reminder_id: reminder.id, task_id: taskId }, { userId, source, occurredAt: now });
    return toReminderResponse(reminder);
  }

  /** Recomputes `scheduled_at`; moving it to the future makes the reminder pending again. */
  update(userId: string, reminderId: string, dto: UpdateReminderDto): Promise<ReminderResponseDto> {
    return this.uow.run(async (tx) => {
      const { reminder, dueDate } = await this.lockForWrite(tx, userId, reminderId);
      const schedule = resolveReminderPatch(reminder, dto, dueDate);
      const now = new Date();
      const updated = await this.reminders.update(tx.manager, reminder, {
        ...schedule,
        ...firingStateAfterMove(schedule.scheduledAt, now),
        updatedAt: now,
      });
      await tx.emit(
        ReminderUpdated,
        { reminder_id: reminder.id, task_id: reminder.taskId },
        { userId, source: 'user', occurredAt: now },
      );
      return toReminderResponse(updated);
    });
  }

  delete(userId: string, reminderId: string): Promise<void> {
    return this.uow.run(async (tx) => {
      const { reminder } = await this.lockForWrite(tx, userId, reminderId);
      await this.reminders.delete(tx.manager, reminder.id);
      await tx.emit(
        ReminderDeleted,
        { reminder_id: reminder.id, task_id: reminder.taskId },
        { userId, source: 'user' },
      );
    });
  }

  /** The reminder (404/403), its task locked (409 ARCHIVED), and the reminder re-read under the lock. */
  private async lockForWrite(
    tx: Transaction,
    userId: string,
    reminderId: string,
  ): Promise<{ reminder: ReminderEntity; dueDate: Date | null }> {
    const found = owned(await this.reminders.findById(reminderId, tx.manager), userId, 'Reminder');
    const task = await this.access.lockWritable(tx.manager, userId, found.taskId);
    const reminder = owned(await this.reminders.findById(reminderId, tx.manager), userId, 'Reminder');
    return { reminder, dueDate: task.dueDate };
  }
}
