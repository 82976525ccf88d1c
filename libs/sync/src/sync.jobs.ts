import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { tombstonePruneCutoff } from './sync-cursor';
import { SyncRepository } from './sync.repository';

/** `sync_change_prune` (daily): forgets deletions older than the tombstone retention. */
@Injectable()
export class SyncJobs {
  constructor(private readonly repository: SyncRepository) {}

  @JobHandler('sync_change_prune')
  async prune(ctx: JobContext): Promise<JobResult> {
    return {
      status: 'success',
      result: { tombstones_deleted: await this.repository.pruneTombstones(tombstonePruneCutoff(ctx.now)) },
    };
  }
}
