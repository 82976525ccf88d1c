import { Injectable } from '@nestjs/common';
import { JobClock } from '@app/core/jobs/job-clock.decorator';
import { ReminderFiringRepository } from './reminder-firing.repository';

/**
 * When reminders fall due (docs/rules.md §7): the earliest pending `scheduled_at` (partial index);
 * the `reminders_due` trigger (migration 1767312000000) notifies at commit when it may have changed.
 */
@Injectable()
export class ReminderClock {
  constructor(private readonly reminders: ReminderFiringRepository) {}

  @JobClock({ job: 'reminder_fire', channel: 'reminders_due' })
  nextDueAt(): Promise<Date | null> {
    return this.reminders.nextPendingAt();
  }
}
