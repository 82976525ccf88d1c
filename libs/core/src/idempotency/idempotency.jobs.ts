import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobResult } from '../jobs/job-handler.decorator';
import { IdempotencyService } from './idempotency.service';

@Injectable()
export class IdempotencyJobs {
  constructor(private readonly idempotency: IdempotencyService) {}

  /** docs/jobs.md §4 `idempotency_key_cleanup`: deletes keys whose 24 h retention ended. */
  @JobHandler('idempotency_key_cleanup')
  async cleanup({ now }: JobContext): Promise<JobResult> {
    const deleted = await this.idempotency.deleteExpired(now);
    return { status: 'success', result: { deleted } };
  }
}
