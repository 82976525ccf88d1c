import { Module } from '@nestjs/common';
import { SubtasksController } from './subtasks/subtasks.controller';
import { TaskSubtasksController } from './subtasks/task-subtasks.controller';
import { TasksController } from './tasks.controller';
import { TasksModule } from './tasks.module';

@Module({
  imports: [TasksModule],
  controllers: [TasksController, TaskSubtasksController, SubtasksController],
})
export class TasksHttpModule {}
