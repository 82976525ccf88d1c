import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import { MaintenanceStep } from '@app/core/jobs/maintenance-step.decorator';
import { DAY_MS, deleteBefore } from '@app/core/jobs/retention-deletes';

/** docs/jobs.md §4 `maintenance_cleanup`: webhook event records are kept 90 days. */
const RETENTION_MS = 90 * DAY_MS;

@Injectable()
export class WebhookEventRetention {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  @MaintenanceStep(30)
  async deleteOld(now: Date): Promise<Record<string, number>> {
    const deleted = await deleteBefore(
      this.dataSource,
      { table: 'webhook_events', key: 'event_id', column: 'received_at' },
      new Date(now.getTime() - RETENTION_MS),
      this.config.JOB_BATCH_SIZE,
    );
    return { webhook_events_deleted: deleted };
  }
}
