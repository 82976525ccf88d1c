import { Module } from '@nestjs/common';
import { FocusModule } from '@app/focus/focus.module';
import { RemindersModule } from '@app/reminders/reminders.module';
import { TasksModule } from '@app/tasks/tasks.module';
import { TaskDeletionService } from './task-deletion.service';
import { TaskRecoveryService } from './task-recovery.service';
import { TombstoneJobs } from './tombstone.jobs';
import { TombstonesRepository } from './tombstones.repository';

/** Task deletion into tombstones, recovery and `tombstone_cleanup` (no controllers). */
@Module({
  imports: [TasksModule, RemindersModule, FocusModule],
  providers: [TombstonesRepository, TaskDeletionService, TaskRecoveryService, TombstoneJobs],
  exports: [TaskDeletionService, TaskRecoveryService],
})
export class RecoveryModule {}
