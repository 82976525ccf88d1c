import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { AppConfig } from '@app/core/config/app-config';
import { checkConfiguration } from '@app/core/config/configuration-check';
import { RedisFallback } from '@app/core/redis/redis-fallback';
import { DataSource } from 'typeorm';
import type { HealthCheckDto, HealthChecksDto, HealthResponseDto } from './health.dto';

const HEARTBEAT_MAX_AGE_SECONDS = 120;

/** Readiness of docs/api.md §17: database and migrations decide 503; runner, configuration and Redis only degrade. */
@Injectable()
export class HealthService {
  constructor(
    private readonly db: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly redis: RedisFallback,
  ) {}

  async readiness(): Promise<HealthResponseDto> {
    const database = await this.database();
    const migrations =
      database.status === 'ok'
        ? await this.migrations()
        : { status: 'error' as const, message: 'database unavailable' };
    const jobRunner =
      database.status === 'ok' ? await this.jobRunner() : { status: 'error' as const, message: 'database unavailable' };
    const redis = await this.redis.check();
    const { problems, disabled } = checkConfiguration(this.config);
    const configuration: HealthCheckDto =
      problems.length > 0 ? { status: 'error', message: problems.join('; '), disabled } : { status: 'ok', disabled };
    const status =
      database.status === 'error' || migrations.status === 'error'
        ? 'error'
        : jobRunner.status === 'error' || configuration.status === 'error' || redis?.status === 'error'
          ? 'degraded'
          : 'ok';
    const checks: HealthChecksDto = { database, migrations, job_runner: jobRunner, configuration };
    if (redis) checks.redis = redis;
    return { status, checks };
  }

  private async database(): Promise<HealthCheckDto> {
    const result = await this.db.pingCheck('database', { timeout: 2000 }).catch(() => undefined);
    return result?.database?.status === 'up' ? { status: 'ok' } : { status: 'error', message: 'database query failed' };
  }

  private async migrations(): Promise<HealthCheckDto> {
    const pending = await this.dataSource.showMigrations().catch(() => true);
    return pending ? { status: 'error', message: 'pending migrations' } : { status: 'ok' };
  }

  private async jobRunner(): Promise<HealthCheckDto> {
    const rows: Array<{ age: number | null }> = await this.dataSource
      .query('SELECT EXTRACT(EPOCH FROM now() - max(last_seen_at))::float AS age FROM job_runner_heartbeats')
      .catch(() => [{ age: null }]);
    const age = rows[0]?.age;
    if (age === null || age === undefined) return { status: 'error', message: 'no job runner heartbeat' };
    return age <= HEARTBEAT_MAX_AGE_SECONDS
      ? { status: 'ok' }
      : { status: 'error', message: `last job runner heartbeat ${Math.round(age)} s ago` };
  }
}
