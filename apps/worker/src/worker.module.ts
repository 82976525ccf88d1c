import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AccountModule } from '@app/account/account.module';
import { AchievementsModule } from '@app/achievements/achievements.module';
import { AuthModule } from '@app/auth/auth.module';
import { ActivityModule } from '@app/activity/activity.module';
import { BillingModule } from '@app/billing/billing.module';
import { CoreModule, CoreModuleOptions } from '@app/core/core.module';
import { CreditsModule } from '@app/credits/credits.module';
import { JobsModule } from '@app/jobs/jobs.module';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { RecoveryModule } from '@app/recovery/recovery.module';
import { SyncModule } from '@app/sync/sync.module';
import { TasksModule } from '@app/tasks/tasks.module';
import { UsersModule } from '@app/users/users.module';
import { HeartbeatService } from './heartbeat.service';
import { JobExecutor } from './job-executor';
import { JobLocks } from './job-lock';
import { JobRegistry } from './job-registry';
import { JobRunner } from './job-runner.service';
import { JobScheduler } from './job-scheduler';
import { QueueConsumer } from './queue-consumer';
import { QueuedJobProcessor } from './queued-job-processor';
import { ReminderClock } from './reminder-clock';
import { BatchAssistant } from './batch-assistant';
import { RunnerOpsServer } from './runner-ops-server';

const RUNNER_PROVIDERS = [
  JobRegistry,
  JobExecutor,
  JobLocks,
  QueuedJobProcessor,
  QueueConsumer,
  JobScheduler,
  ReminderClock,
  BatchAssistant,
  JobRunner,
  HeartbeatService,
  RunnerOpsServer,
];

/** The job runner: the same feature modules as the API (never their controllers) plus the queue loop. */
@Module({})
export class WorkerModule {
  static register(options: Omit<CoreModuleOptions, 'role'>): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot({ ...options, role: 'worker' }),
        DiscoveryModule,
        JobsModule,
        ActivityModule,
        AuthModule,
        UsersModule,
        CreditsModule,
        AchievementsModule,
        BillingModule,
        NotificationsModule,
        TasksModule,
        RecoveryModule,
        AccountModule,
        SyncModule,
      ],
      providers: [...RUNNER_PROVIDERS],
      exports: [...RUNNER_PROVIDERS],
    };
  }
}
