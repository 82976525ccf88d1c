import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '@app/auth/auth.module';
import { ActivityModule } from '@app/activity/activity.module';
import { CoreModule, CoreModuleOptions } from '@app/core/core.module';
import { CreditsModule } from '@app/credits/credits.module';
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
      imports: [CoreModule.forRoot({ ...options, role: 'worker', poolSize: 8 }), DiscoveryModule, ActivityModule, AuthModule, UsersModule, CreditsModule],
      providers: [JobRegistry, JobExecutor, JobRunner, HeartbeatService],
      exports: [JobRegistry, JobExecutor, JobRunner, HeartbeatService],
    };
  }
}
