import { Module } from '@nestjs/common';
import { AchievementsModule } from '@app/achievements/achievements.module';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { FocusModule } from '@app/focus/focus.module';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { ReminderScheduleHandlers } from './reminders/reminder-schedule.handlers';
import { RemindersRepository } from './reminders/reminders.repository';
import { RemindersService } from './reminders/reminders.service';
import { SubtasksRepository } from './subtasks/subtasks.repository';
import { SubtasksService } from './subtasks/subtasks.service';
import { TaskAccess } from './task-access';
import { TaskCompletion } from './task-completion.service';
import { TaskDetails } from './task-details';
import { TaskLimits } from './task-limits';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';
import { RecurringFailureReport } from './templates/recurring-failure-report';
import { RecurringGenerator } from './templates/recurring-generator';
import { RecurringInlineAttempt } from './templates/recurring-inline-attempt';
import { RecurringTrigger } from './templates/recurring-trigger';
import { RecurringJobs } from './templates/recurring.jobs';
import { TemplatesRepository } from './templates/templates.repository';
import { TemplatesService } from './templates/templates.service';

/**
 * Tasks, subtasks, reminders and recurring templates (no controllers: the worker imports this for
 * `recurring_task_generate`). The services take a source (`user`/`ai`/`system`) or a transaction
 * so confirmed AI actions reuse them.
 */
@Module({
  imports: [EffectiveLimitsModule, FocusModule, AchievementsModule, NotificationsModule],
  providers: [
    TasksRepository,
    SubtasksRepository,
    RemindersRepository,
    TemplatesRepository,
    TaskAccess,
    TaskDetails,
    TaskLimits,
    TaskCompletion,
    TasksService,
    SubtasksService,
    RemindersService,
    ReminderScheduleHandlers,
    RecurringGenerator,
    RecurringFailureReport,
    RecurringJobs,
    RecurringInlineAttempt,
    RecurringTrigger,
    TemplatesService,
  ],
  exports: [
    TasksRepository,
    SubtasksRepository,
    RemindersRepository,
    TemplatesRepository,
    TaskAccess,
    TaskDetails,
    TaskCompletion,
    TasksService,
    SubtasksService,
    RemindersService,
    TemplatesService,
  ],
})
export class TasksModule {}
