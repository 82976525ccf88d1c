import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AccountModule } from '@app/account/account.module';
import { AchievementsModule } from '@app/achievements/achievements.module';
import { ActivityModule } from '@app/activity/activity.module';
import { RefreshTokenRetentionModule } from '@app/auth/refresh-token-retention.module';
import { BillingModule } from '@app/billing/billing.module';
import { CoreModule, CoreModuleOptions } from '@app/core/core.module';
import { CreditsModule } from '@app/credits/credits.module';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { RecoveryModule } from '@app/recovery/recovery.module';
import { RemindersModule } from '@app/reminders/reminders.module';
import { SyncModule } from '@app/sync/sync.module';
import { TasksModule } from '@app/tasks/tasks.module';
import { UsersModule } from '@app/users/users.module';
import { VoiceSessionsModule } from '@app/voice/voice-sessions.module';
import { BatchAssistant } from './batch-assistant';
import { HeartbeatService } from './heartbeat.service';
import { JobClocks } from './job-clocks';
import { JobExecutor } from './job-executor';
import { JobLocks } from './job-lock';
import { JobRegistry } from './job-registry';
import { JobRunner } from './job-runner.service';
import { JobScheduler } from './job-scheduler';
import { MaintenanceCleanupJobs } from './maintenance-cleanup.jobs';
import { QueueConsumer } from './queue-consumer';
import { QueuedJobProcessor } from './queued-job-processor';
import { RunnerOpsServer } from './runner-ops-server';
import { RunnerRetention } from './runner-retention';

const RUNNER_PROVIDERS = [
  JobRegistry,
  JobExecutor,
  JobLocks,
  QueuedJobProcessor,
  QueueConsumer,
  JobScheduler,
  JobClocks,
  BatchAssistant,
  JobRunner,
  HeartbeatService,
  RunnerOpsServer,
];

/**
 * The job runner: the feature modules whose jobs it runs (never their controllers, nor auth, guards or
 * the voice relay) plus the queue loop; the runner's periodic ticks are @nestjs/schedule intervals.
 */
@Module({})
export class WorkerModule {
  static register(options: Omit<CoreModuleOptions, 'role'>): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({ ...options, role: 'worker' }),
        ScheduleModule.forRoot(),
        ActivityModule,
        UsersModule,
        CreditsModule,
        AchievementsModule,
        BillingModule,
        NotificationsModule,
        TasksModule,
        RemindersModule,
        RecoveryModule,
        AccountModule,
        SyncModule,
        RefreshTokenRetentionModule,
        VoiceSessionsModule,
      ],
      providers: [...RUNNER_PROVIDERS, MaintenanceCleanupJobs, RunnerRetention],
      exports: [...RUNNER_PROVIDERS],
    };
  }
}
