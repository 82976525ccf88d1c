import { Module } from '@nestjs/common';
import { RemindersController } from './reminders.controller';
import { RemindersModule } from './reminders.module';
import { TaskRemindersController } from './task-reminders.controller';

@Module({
  imports: [RemindersModule],
  controllers: [TaskRemindersController, RemindersController],
})
export class RemindersHttpModule {}
