import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { Clock } from './clock/clock';
import { AppConfig } from './config/app-config';
import { buildDataSourceOptions } from './database/data-source-options';
import { EventBus } from './events/event-bus';
import { UnitOfWork } from './events/unit-of-work';
import { IdempotencyJobs } from './idempotency/idempotency.jobs';
import { IdempotencyService } from './idempotency/idempotency.service';
import { BatchedRuns } from './jobs/batched-runs';
import { JobQueue } from './jobs/job-queue.service';
import { loggerOptions } from './logging/logger-options';
import { MetricsService } from './metrics/metrics.service';
import { REDIS_CLIENT, redisProvider } from './redis/redis.provider';

export interface CoreModuleOptions {
  config: AppConfig;
  databaseUrl: string;
  role: 'api' | 'worker';
  poolSize?: number;
  /** Where JSON log lines go (stdout by default); tests capture them. */
  logDestination?: DestinationStream;
  /** The app's clock (the wall clock by default); tests set their own. */
  clock?: Clock;
}

/** Config, database, logging, metrics, events and shared counters: what every app and feature needs. */
@Global()
@Module({})
export class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  static forRoot({ config, databaseUrl, role, poolSize, logDestination, clock }: CoreModuleOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRoot({ ...buildDataSourceOptions({ url: databaseUrl, poolSize }) }),
        LoggerModule.forRoot(loggerOptions(config, logDestination)),
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock ?? new Clock() },
        redisProvider,
        {
          provide: ThrottlerStorage,
          inject: [REDIS_CLIENT],
          useFactory: (redis: Redis | null) =>
            redis ? new ThrottlerStorageRedisService(redis) : new ThrottlerStorageService(),
        },
        MetricsService,
        EventBus,
        UnitOfWork,
        BatchedRuns,
        IdempotencyService,
        IdempotencyJobs,
        {
          provide: JobQueue,
          useFactory: () =>
            new JobQueue({ connectionString: databaseUrl, role, expireSeconds: config.JOB_EXPIRE_SECONDS }),
        },
      ],
      exports: [
        AppConfig,
        Clock,
        REDIS_CLIENT,
        ThrottlerStorage,
        MetricsService,
        EventBus,
        UnitOfWork,
        BatchedRuns,
        IdempotencyService,
        JobQueue,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }
}
