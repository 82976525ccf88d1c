import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { TasksModule } from '@app/tasks/tasks.module';
import { ReminderClock } from './reminder-clock';
import { ReminderFireJobs } from './reminder-fire.jobs';
import { ReminderFiringRepository } from './reminder-firing.repository';
import { ReminderScheduleListener } from './reminder-schedule.listener';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';

/**
 * Reminders end to end (docs/rules.md §7, docs/api.md §9): their use cases, their schedule following
 * the task's due date, their clock and `reminder_fire` (no controllers: the worker imports this).
 */
@Module({
  imports: [TasksModule, NotificationsModule],
  providers: [
    RemindersRepository,
    RemindersService,
    ReminderScheduleListener,
    ReminderFiringRepository,
    ReminderClock,
    ReminderFireJobs,
  ],
  exports: [RemindersRepository, RemindersService],
})
export class RemindersModule {}
