import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/core/events/domain-event';
import { OnDomainEvent } from '@app/core/events/on-domain-event.decorator';
import type { Transaction } from '@app/core/events/transaction';
import { TaskRecovered, TaskTombstonePayload, TaskUpdated, TaskUpdatedPayload } from '@app/tasks/task.events';
import { TasksRepository } from '@app/tasks/tasks.repository';
import { ReminderSkipped } from './reminder.events';
import { recomputedForDueDate } from './reminder-rules';
import { RemindersRepository } from './reminders.repository';

/**
 * Keeps reminders consistent with their task (docs/jobs.md §5 handlers): relative reminders follow
 * a changed due date; a recovered task's past reminders are skipped, never fired late. Tasks (a lower
 * lib) only emits its events and never waits on this reaction; it runs in the change's transaction.
 */
@Injectable()
export class ReminderScheduleListener {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly reminders: RemindersRepository,
  ) {}

  /** docs/rules.md §7: clearing the due date leaves reminders unchanged; absolute ones never move. */
  @OnDomainEvent(TaskUpdated)
  async followDueDate(event: DomainEvent<TaskUpdatedPayload>, tx: Transaction): Promise<void> {
    if (!event.payload.due_date_changed) return;
    const task = await this.tasks.findById(event.payload.task_id, tx.manager);
    if (!task?.dueDate) return;
    for (const reminder of await this.reminders.listByTask(task.id, tx.manager)) {
      const changes = recomputedForDueDate(reminder, task.dueDate, event.occurredAt);
      if (changes) await this.reminders.update(tx.manager, reminder, { ...changes, updatedAt: event.occurredAt });
    }
  }

  /** docs/rules.md §9: pending reminders due before the recovery instant are marked skipped. */
  @OnDomainEvent(TaskRecovered)
  async skipPast(event: DomainEvent<TaskTombstonePayload>, tx: Transaction): Promise<void> {
    const now = event.occurredAt;
    for (const reminder of await this.reminders.pendingBefore(tx.manager, event.payload.task_id, now)) {
      await this.reminders.update(tx.manager, reminder, { fired: true, skipped: true, updatedAt: now });
      await tx.emit(
        ReminderSkipped,
        { reminder_id: reminder.id, task_id: reminder.taskId, reason: 'recovered' as const },
        { userId: event.userId, source: 'system', occurredAt: now, requestId: event.requestId },
      );
    }
  }
}
