import { Injectable, OnModuleInit } from '@nestjs/common';
import { MarkedMethods } from '@app/core/discovery/marked-methods';
import { RUN_BATCH, RUN_SIZE } from '@app/core/jobs/batched-job.decorator';
import { BatchedJob, BatchedRuns } from '@app/core/jobs/batched-runs';
import { JobName } from '@app/core/jobs/job-catalogue';
import { JOB_CLOCK, JobClockFn, JobClockOptions } from '@app/core/jobs/job-clock.decorator';
import { JOB_HANDLER, JobHandlerFn } from '@app/core/jobs/job-handler.decorator';
import { MAINTENANCE_STEP, MaintenanceStepFn } from '@app/core/jobs/maintenance-step.decorator';

/** A job's clock as declared with `@JobClock`. */
export interface DeclaredJobClock extends JobClockOptions {
  nextDueAt: JobClockFn;
}

/**
 * Finds the job parts declared on the worker's providers: every `@JobHandler(name)` method (the job
 * name → handler table), the batched jobs' `@RunSize`/`@RunBatch` (registered with `BatchedRuns`),
 * the `@MaintenanceStep`s and the `@JobClock`s.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, JobHandlerFn>();
  private steps: MaintenanceStepFn[] = [];
  private jobClocks: DeclaredJobClock[] = [];

  constructor(
    private readonly marked: MarkedMethods,
    private readonly runs: BatchedRuns,
  ) {}

  onModuleInit(): void {
    for (const { metadata: name, fn } of this.marked.find<JobName>(JOB_HANDLER)) {
      if (this.handlers.has(name)) throw new Error(`Two handlers registered for job ${name}`);
      this.handlers.set(name, fn as JobHandlerFn);
    }
    this.registerBatchedJobs();
    this.steps = this.marked
      .find<number>(MAINTENANCE_STEP)
      .sort((a, b) => a.metadata - b.metadata)
      .map(({ fn }) => fn as MaintenanceStepFn);
    this.jobClocks = this.marked.find<JobClockOptions>(JOB_CLOCK).map(({ metadata, fn }) => ({
      ...metadata,
      nextDueAt: fn as JobClockFn,
    }));
  }

  get(name: JobName): JobHandlerFn | undefined {
    return this.handlers.get(name);
  }

  names(): JobName[] {
    return [...this.handlers.keys()];
  }

  /** The steps of `maintenance_cleanup`, in their order. */
  maintenanceSteps(): MaintenanceStepFn[] {
    return this.steps;
  }

  clocks(): DeclaredJobClock[] {
    return this.jobClocks;
  }

  private registerBatchedJobs(): void {
    const sizes = new Map(this.marked.find<JobName>(RUN_SIZE).map(({ metadata, fn }) => [metadata, fn]));
    const batches = new Map(this.marked.find<JobName>(RUN_BATCH).map(({ metadata, fn }) => [metadata, fn]));
    for (const name of new Set([...sizes.keys(), ...batches.keys()])) {
      const size = sizes.get(name);
      const batch = batches.get(name);
      if (!size || !batch) throw new Error(`Batched job ${name} needs both a @RunSize and a @RunBatch`);
      this.runs.register(name, { size, batch } as BatchedJob);
    }
  }
}
