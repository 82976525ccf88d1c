import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AchievementsModule } from '@app/achievements/achievements.module';
import { AuthModule } from '@app/auth/auth.module';
import { ActivityModule } from '@app/activity/activity.module';
import { BillingModule } from '@app/billing/billing.module';
import { CoreModule, CoreModuleOptions } from '@app/core/core.module';
import { CreditsModule } from '@app/credits/credits.module';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { RecoveryModule } from '@app/recovery/recovery.module';
import { TasksModule } from '@app/tasks/tasks.module';
import { UsersModule } from '@app/users/users.module';
import { HeartbeatService } from './heartbeat.service';
import { JobExecutor } from './job-executor';
import { JobRegistry } from './job-registry';
import { JobRunner } from './job-runner.service';

/** The job runner: the same feature modules as the API (never their controllers) plus the queue loop. */
@Module({})
export class WorkerModule {
  static register(options: Omit<CoreModuleOptions, 'role'>): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot({ ...options, role: 'worker', poolSize: 8 }), DiscoveryModule, ActivityModule, AuthModule, UsersModule, CreditsModule, AchievementsModule, BillingModule, NotificationsModule, TasksModule, RecoveryModule],
      providers: [JobRegistry, JobExecutor, JobRunner, HeartbeatService],
      exports: [JobRegistry, JobExecutor, JobRunner, HeartbeatService],
    };
  }
}
