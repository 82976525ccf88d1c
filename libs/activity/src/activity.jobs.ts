import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { ActivityRepository } from './activity.repository';
import { retentionCutoff } from './activity-retention';

/** `activity_log_purge` (docs/jobs.md §4): entries older than 30 days (by the job clock) are deleted. */
@Injectable()
export class ActivityJobs {
  constructor(private readonly activity: ActivityRepository) {}

  @JobHandler('activity_log_purge')
  async purge(context: JobContext): Promise<JobResult> {
    return { status: 'success', result: { deleted: await this.activity.purgeBefore(retentionCutoff(context.now)) } };
  }
}
