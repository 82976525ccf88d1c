import { Logger, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';

/** The shared Redis client when `REDIS_URL` is set (rate limits, AI counters), else `null`. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

export const redisProvider: Provider = {
  provide: REDIS_CLIENT,
  inject: [AppConfig],
  useFactory: (config: AppConfig): Redis | null => {
    if (!config.REDIS_URL) return null;
    const client = new Redis(config.REDIS_URL, {
      maxRetriesPerRequest: 2,
      // A command Redis never answers (a partition, not a refused connection) fails after 1 s,
      // and the counter falls back to process memory (redis-fallback.ts).
      commandTimeout: 1000,
      enableOfflineQueue: true,
      lazyConnect: false,
    });
    const logger = new Logger('Redis');
    // Every reconnect attempt of an outage errors; the outage itself is logged once (RedisFallback).
    client.on('error', (error: Error) => logger.debug({ err: error }, 'Redis connection problem'));
    return client;
  },
};
