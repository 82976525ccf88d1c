import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import type { ReminderMethod } from '@app/core/database/enums';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { NotificationsService } from '@app/notifications/notifications.service';
import { ReminderFired, ReminderSkipped } from './reminder.events';
import { LockedReminder, ReminderFiringRepository } from './reminder-firing.repository';
import { REMINDER_NOTIFICATION_TITLE, reminderBody } from './reminder-message';

interface FiringCounts {
  fired: number;
  skipped: number;
  errors: number;
}

/**
 * docs/jobs.md §4 `reminder_fire` (docs/rules.md §7): every pending reminder due at the job clock fires once,
 * oldest first, by batches of `REMINDER_BATCH_SIZE` (500) locked with `SKIP LOCKED` (`REMINDER_LANES`
 * lanes, and several runners, share a burst), each batch one transaction with a few statements: notifications, push jobs,
 * reminder updates and activity set-based. A batch that fails is fired again reminder by reminder,
 * so one failing reminder never stops the others; it stays pending for the next run.
 */
@Injectable()
export class ReminderFireJobs {
  private readonly logger = new Logger(ReminderFireJobs.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly reminders: ReminderFiringRepository,
    private readonly notifications: NotificationsService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @JobHandler('reminder_fire')
  async fireDue({ now }: JobContext): Promise<JobResult> {
    const counts: FiringCounts = { fired: 0, skipped: 0, errors: 0 };
    // Lanes may take the same reminders once a batch rolled back: a failure counts once per reminder.
    const failed = new Set<string>();
    let more = true;
    const lane = async (): Promise<void> => {
      while (more) {
        const taken = await this.fireBatch(now, failed, counts);
        if (taken < this.config.REMINDER_BATCH_SIZE) more = false;
      }
    };
    await Promise.all(Array.from({ length: this.config.REMINDER_LANES }, lane));
    return { status: 'success', result: { ...counts, errors: failed.size } };
  }

  /** One batch; returns how many reminders it took. */
  private async fireBatch(now: Date, failed: Set<string>, counts: FiringCounts): Promise<number> {
    let ids: string[] = [];
    try {
      const outcome = await this.uow.run(async (tx) => {
        const batch = await this.reminders.lockDue(tx.manager, now, this.config.REMINDER_BATCH_SIZE, {
          excluded: [...failed],
        });
        ids = batch.map((reminder) => reminder.id);
        return this.fire(tx, batch, now);
      });
      counts.fired += outcome.fired;
      counts.skipped += outcome.skipped;
      return ids.length;
    } catch (error) {
      this.logger.warn({ err: error, reminders: ids.length }, 'reminder batch failed; firing its reminders one by one');
      for (const id of ids) await this.fireAlone(id, now, failed, counts);
      return ids.length;
    }
  }

  private async fireAlone(id: string, now: Date, failed: Set<string>, counts: FiringCounts): Promise<void> {
    try {
      const outcome = await this.uow.run(async (tx) =>
        this.fire(tx, await this.reminders.lockDue(tx.manager, now, 1, { only: [id] }), now),
      );
      counts.fired += outcome.fired;
      counts.skipped += outcome.skipped;
    } catch (error) {
      failed.add(id);
      this.logger.error({ err: error, reminder_id: id }, 'reminder could not be fired');
    }
  }

  /** Skips the reminders of inactive tasks and fires the others, all locked by `tx`. */
  private async fire(tx: Transaction, batch: LockedReminder[], now: Date): Promise<Omit<FiringCounts, 'errors'>> {
    const inactive = batch.filter((reminder) => reminder.taskInactive);
    const active = batch.filter((reminder) => !reminder.taskInactive);
    const emitOptions = (reminder: LockedReminder) => ({
      userId: reminder.userId,
      source: 'system' as const,
      occurredAt: now,
    });
    await this.reminders.markSkipped(
      tx.manager,
      inactive.map((reminder) => reminder.id),
      now,
    );
    await tx.emitAll(
      ReminderSkipped,
      inactive.map((reminder) => ({
        payload: { reminder_id: reminder.id, task_id: reminder.taskId, reason: 'task_inactive' as const },
        options: emitOptions(reminder),
      })),
    );
    const sourceRef = (reminder: LockedReminder): string => `reminder:${reminder.id}`;
    // A reminder made pending again by a due-date change keeps its one notification (dedupe key).
    const notificationIds = await this.notifications.createKeyed(
      tx,
      active.map((reminder) => ({
        userId: reminder.userId,
        type: 'reminder' as const,
        title: REMINDER_NOTIFICATION_TITLE,
        body: reminderBody(reminder.type, reminder.offsetMinutes, reminder.taskTitle),
        actionUrl: `/tasks/${reminder.taskId}`,
        taskId: reminder.taskId,
        sourceRef: sourceRef(reminder),
        push: reminder.method === 'push',
        createdAt: now,
      })),
    );
    await this.reminders.markFired(
      tx.manager,
      active.map((reminder) => reminder.id),
      now,
    );
    const notified = active.filter((reminder) => notificationIds.has(sourceRef(reminder)));
    await tx.emitAll(
      ReminderFired,
      notified.map((reminder) => ({
        payload: {
          reminder_id: reminder.id,
          task_id: reminder.taskId,
          notification_id: notificationIds.get(sourceRef(reminder)) as string,
          method: reminder.method,
        },
        options: emitOptions(reminder),
      })),
    );
    const byMethod = new Map<ReminderMethod, number>();
    for (const reminder of active) byMethod.set(reminder.method, (byMethod.get(reminder.method) ?? 0) + 1);
    tx.afterCommit(async () => {
      for (const [method, fired] of byMethod) this.metrics.remindersFired.inc({ method }, fired);
    });
    return { fired: active.length, skipped: inactive.length };
  }
}
