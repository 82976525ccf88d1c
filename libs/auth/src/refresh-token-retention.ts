import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import { MaintenanceStep } from '@app/core/jobs/maintenance-step.decorator';
import { DAY_MS, deleteBefore } from '@app/core/jobs/retention-deletes';

/** docs/jobs.md §4 `maintenance_cleanup`: refresh tokens are kept 7 days after they expired or were revoked. */
const RETENTION_MS = 7 * DAY_MS;

@Injectable()
export class RefreshTokenRetention {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * One condition at a time, so that each batch is read from its index (an `OR` makes the batch's
   * `LIMIT` a sequential scan that re-reads the rows already deleted, batch after batch).
   */
  @MaintenanceStep(10)
  async deleteOld(now: Date): Promise<Record<string, number>> {
    const cutoff = new Date(now.getTime() - RETENTION_MS);
    const before = (column: string): Promise<number> =>
      deleteBefore(this.dataSource, { table: 'refresh_tokens', key: 'id', column }, cutoff, this.config.JOB_BATCH_SIZE);
    const expired = await before('expires_at');
    const revoked = await before('revoked_at');
    return { refresh_tokens_deleted: expired + revoked };
  }
}
