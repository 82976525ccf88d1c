import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import type Redis from 'ioredis';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { Clock } from './clock/clock';
import { AppConfig } from './config/app-config';
import { buildDataSourceOptions } from './database/data-source-options';
import { MarkedMethods } from './discovery/marked-methods';
import { EventBus } from './events/event-bus';
import { UnitOfWork } from './events/unit-of-work';
import { IdempotencyJobs } from './idempotency/idempotency.jobs';
import { IdempotencyService } from './idempotency/idempotency.service';
import { BatchedRuns } from './jobs/batched-runs';
import { JobQueue } from './jobs/job-queue.service';
import { loggerOptions } from './logging/logger-options';
import { MetricsService } from './metrics/metrics.service';
import { RateLimiter } from './rate-limit/rate-limiter';
import { FallbackThrottlerStorage } from './redis/fallback-throttler-storage';
import { RedisFallback } from './redis/redis-fallback';
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
        TypeOrmModule.forRoot({
          ...buildDataSourceOptions({
            url: databaseUrl,
            poolSize: poolSize ?? (role === 'api' ? config.DB_POOL_SIZE : config.RUNNER_DB_POOL_SIZE),
          }),
        }),
        LoggerModule.forRoot(loggerOptions(config, logDestination)),
        // MarkedMethods finds the decorated handlers (events, jobs) among the app's providers.
        DiscoveryModule,
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock ?? new Clock() },
        redisProvider,
        MetricsService,
        RedisFallback,
        {
          provide: ThrottlerStorage,
          inject: [REDIS_CLIENT, RedisFallback],
          useFactory: (redis: Redis | null, fallback: RedisFallback) => new FallbackThrottlerStorage(redis, fallback),
        },
        RateLimiter,
        MarkedMethods,
        EventBus,
        UnitOfWork,
        BatchedRuns,
        IdempotencyService,
        IdempotencyJobs,
        {
          provide: JobQueue,
          useFactory: () =>
            new JobQueue({
              connectionString: databaseUrl,
              role,
              expireSeconds: config.JOB_EXPIRE_SECONDS,
              poolSize: config.JOB_QUEUE_POOL_SIZE,
            }),
        },
      ],
      exports: [
        AppConfig,
        Clock,
        REDIS_CLIENT,
        RedisFallback,
        RateLimiter,
        MetricsService,
        MarkedMethods,
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
