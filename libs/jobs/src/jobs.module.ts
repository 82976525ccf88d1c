import { Module } from '@nestjs/common';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { VoiceModule } from '@app/voice/voice.module';
import { MaintenanceCleanupJobs } from './maintenance-cleanup.jobs';
import { MaintenanceRepository } from './maintenance.repository';
import { ReminderFireJobs } from './reminder-fire.jobs';
import { ReminderFiringRepository } from './reminder-firing.repository';

/** The cross-cutting job handlers (`reminder_fire`, `maintenance_cleanup`); imported by the worker. */
@Module({
  imports: [NotificationsModule, VoiceModule],
  providers: [ReminderFiringRepository, ReminderFireJobs, MaintenanceRepository, MaintenanceCleanupJobs],
  exports: [ReminderFiringRepository],
})
export class JobsModule {}
