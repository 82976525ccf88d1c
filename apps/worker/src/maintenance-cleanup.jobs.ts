import { Injectable } from '@nestjs/common';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { JobRegistry } from './job-registry';

/**
 * docs/jobs.md §4 `maintenance_cleanup`: every feature's `@MaintenanceStep` (retention deletes on the
 * job clock, stale voice sessions), in their order, their counts merged into one result.
 */
@Injectable()
export class MaintenanceCleanupJobs {
  constructor(private readonly registry: JobRegistry) {}

  @JobHandler('maintenance_cleanup')
  async cleanup({ now }: JobContext): Promise<JobResult> {
    const result: Record<string, number> = {};
    for (const step of this.registry.maintenanceSteps()) Object.assign(result, await step(now));
    return { status: 'success', result };
  }
}
