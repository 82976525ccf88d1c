import { Module } from '@nestjs/common';
import { RemindersModule } from '@app/reminders/reminders.module';
import { TasksModule } from '@app/tasks/tasks.module';
import { QuickAddService } from './quick-add.service';
import { UserTimeZoneReader } from './user-time-zone.reader';

/** Quick add in plain language (docs/quick-add.md); no controllers, so MCP tools reuse the service. */
@Module({
  imports: [TasksModule, RemindersModule],
  providers: [UserTimeZoneReader, QuickAddService],
  exports: [QuickAddService],
})
export class QuickAddModule {}
