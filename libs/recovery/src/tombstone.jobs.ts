import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { TombstonesRepository } from './tombstones.repository';

/** `tombstone_cleanup` (docs/jobs.md §4): tombstones with `recoverable_until ≤ now` are purged. */
@Injectable()
export class TombstoneJobs {
  constructor(private readonly tombstones: TombstonesRepository) {}

  @JobHandler('tombstone_cleanup')
  async cleanup(context: JobContext): Promise<JobResult> {
    return { status: 'success', result: { deleted: await this.tombstones.deleteExpired(context.now) } };
  }
}
