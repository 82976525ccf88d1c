import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { MaintenanceStep } from '@app/core/jobs/maintenance-step.decorator';
import { DAY_MS, deleteBefore } from '@app/core/jobs/retention-deletes';

/** docs/jobs.md §4 `maintenance_cleanup`: runner heartbeat rows are kept a day. */
const HEARTBEAT_RETENTION_MS = DAY_MS;

/** The runner's own parts of `maintenance_cleanup`: the queue's retention and the heartbeat rows. */
@Injectable()
export class RunnerRetention {
  constructor(
    private readonly queue: JobQueue,
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Finished (7 days) and dead (30 days) jobs: pg-boss's retention, run now on the real clock. */
  @MaintenanceStep(20)
  async applyQueueRetention(): Promise<Record<string, number>> {
    await this.queue.applyRetention();
    return {};
  }

  @MaintenanceStep(50)
  async deleteOldHeartbeats(now: Date): Promise<Record<string, number>> {
    const deleted = await deleteBefore(
      this.dataSource,
      { table: 'job_runner_heartbeats', key: 'runner_id', column: 'last_seen_at' },
      new Date(now.getTime() - HEARTBEAT_RETENTION_MS),
      this.config.JOB_BATCH_SIZE,
    );
    return { heartbeats_deleted: deleted };
  }
}
