import { Module } from '@nestjs/common';
import { RemindersController } from './reminders/reminders.controller';
import { TaskRemindersController } from './reminders/task-reminders.controller';
import { SubtasksController } from './subtasks/subtasks.controller';
import { TaskSubtasksController } from './subtasks/task-subtasks.controller';
import { TasksController } from './tasks.controller';
import { TasksModule } from './tasks.module';
import { TemplatesController } from './templates/templates.controller';

@Module({
  imports: [TasksModule],
  controllers: [
    TasksController,
    TaskSubtasksController,
    SubtasksController,
    TaskRemindersController,
    RemindersController,
    TemplatesController,
  ],
})
export class TasksHttpModule {}
