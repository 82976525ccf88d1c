import { Injectable, Logger } from '@nestjs/common';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { NotificationsService } from '@app/notifications/notifications.service';
import { ReminderFired, ReminderSkipped } from '@app/tasks/reminders/reminder.events';
import { DueCursor, ReminderFiringRepository } from './reminder-firing.repository';
import { REMINDER_NOTIFICATION_TITLE, reminderBody } from './reminder-message';

const BATCH_SIZE = 500;
/** Reminders fired concurrently, each in its own transaction. */
const LANES = 8;

type FiringOutcome = 'fired' | 'skipped';

/**
 * docs/jobs.md §4 `reminder_fire` (docs/rules.md §7): every pending reminder due at the job clock fires once,
 * oldest first, each in its own transaction with the reminder row locked. The runner's reminder
 * clock calls it the moment a reminder falls due; the 30-s schedule is the safety net.
 */
@Injectable()
export class ReminderFireJobs {
  private readonly logger = new Logger(ReminderFireJobs.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly reminders: ReminderFiringRepository,
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
  ) {}

  @JobHandler('reminder_fire')
  async fireDue({ now }: JobContext): Promise<JobResult> {
    const counts = { fired: 0, skipped: 0, errors: 0 };
    let cursor: DueCursor | null = null;
    for (;;) {
      const batch = await this.reminders.due(now, cursor, BATCH_SIZE);
      let next = 0;
      // A few transactions at once, so that a burst of reminders due together is not served one by one.
      const lane = async (): Promise<void> => {
        while (next < batch.length) await this.fireSafely(batch[next++].id, now, counts);
      };
      await Promise.all(Array.from({ length: Math.min(LANES, batch.length) }, lane));
      if (batch.length < BATCH_SIZE) break;
      cursor = batch[batch.length - 1];
    }
    return { status: 'success', result: counts };
  }

  /** One reminder's failure never stops the batch; it stays pending for the next run. */
  private async fireSafely(id: string, now: Date, counts: Record<FiringOutcome | 'errors', number>): Promise<void> {
    try {
      const outcome = await this.uow.run((tx) => this.fireOne(tx, id, now));
      if (outcome) counts[outcome]++;
    } catch (error) {
      counts.errors++;
      this.logger.error({ err: error, reminder_id: id }, 'reminder could not be fired');
    }
  }

  private async fireOne(tx: Transaction, id: string, now: Date): Promise<FiringOutcome | null> {
    const reminder = await this.reminders.lockDue(tx.manager, id, now);
    if (!reminder) return null;
    const ref = { reminder_id: reminder.id, task_id: reminder.taskId };
    const emitOptions = { userId: reminder.userId, source: 'system' as const, occurredAt: now };
    if (reminder.taskInactive) {
      await this.reminders.markSkipped(tx.manager, reminder.id, now);
      await tx.emit(ReminderSkipped, { ...ref, reason: 'task_inactive' as const }, emitOptions);
      return 'skipped';
    }
    const sourceRef = `reminder:${reminder.id}`;
    const created = await this.notifications.create(tx, {
      userId: reminder.userId,
      type: 'reminder',
      title: REMINDER_NOTIFICATION_TITLE,
      body: reminderBody(reminder.type, reminder.offsetMinutes, reminder.taskTitle),
      actionUrl: `/tasks/${reminder.taskId}`,
      taskId: reminder.taskId,
      sourceRef,
      push: reminder.method === 'push',
      createdAt: now,
    });
    // A reminder made pending again by a due-date change keeps its one notification (dedupe key).
    const notificationId = created?.id ?? (await this.reminders.notificationIdFor(tx.manager, sourceRef));
    await this.reminders.markFired(tx.manager, reminder.id, now);
    if (notificationId) {
      await tx.emit(ReminderFired, { ...ref, notification_id: notificationId, method: reminder.method }, emitOptions);
    }
    tx.afterCommit(async () => this.metrics.remindersFired.inc({ method: reminder.method }));
    return 'fired';
  }
}
