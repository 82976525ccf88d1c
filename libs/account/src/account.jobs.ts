import { Injectable } from '@nestjs/common';
import { JOB_CATALOGUE } from '@app/core/jobs/job-catalogue';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { EXPORT_TTL_MS } from './account-rules';
import { AccountDeletionRepository } from './account-deletion.repository';
import { DataExportService } from './data-export.service';
import { DataExportsRepository } from './data-exports.repository';

@Injectable()
export class AccountJobs {
  constructor(
    private readonly exportsService: DataExportService,
    private readonly exports: DataExportsRepository,
    private readonly accounts: AccountDeletionRepository,
  ) {}

  /** `data_export` (queue-backed): builds one export; its last failed attempt marks it failed. */
  @JobHandler('data_export')
  async export(ctx: JobContext): Promise<JobResult> {
    const exportId = ctx.data.export_id;
    if (typeof exportId !== 'string') return { status: 'skipped', result: { reason: 'no export_id' } };
    try {
      const built = await this.exportsService.build(exportId, ctx.now);
      return built ? { status: 'success', result: { exported: 1 } } : { status: 'skipped', result: { exported: 0 } };
    } catch (error) {
      if (ctx.attempt >= JOB_CATALOGUE.data_export.maxAttempts) await this.exportsService.fail(exportId, ctx.now);
      throw error;
    }
  }

  /** `data_export_cleanup` (hourly): expired exports and payment records past their retention. */
  @JobHandler('data_export_cleanup')
  async cleanup(ctx: JobContext): Promise<JobResult> {
    const exportsDeleted = await this.exports.deleteExpired(ctx.now, new Date(ctx.now.getTime() - EXPORT_TTL_MS));
    const paymentRecordsDeleted = await this.accounts.deleteExpiredPaymentRecords(ctx.now);
    return {
      status: 'success',
      result: { exports_deleted: exportsDeleted, payment_records_deleted: paymentRecordsDeleted },
    };
  }
}
