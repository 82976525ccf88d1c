import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-catalogue';

export const JOB_HANDLER = 'perpetua:jobHandler';

export interface JobContext<P = Record<string, unknown>> {
  /** The job's clock: real time, or the `--now` of `npm run job`. */
  now: Date;
  data: P;
  /** Queue job id; null when run directly by `npm run job` for a periodic job. */
  jobId: string | null;
  /** 1 for the first attempt. */
  attempt: number;
}

export interface JobResult {
  status: 'success' | 'skipped';
  result?: Record<string, unknown>;
}

export type JobHandlerFn = (context: JobContext) => Promise<JobResult>;

/** Marks a provider method as the handler of a catalogue job; the worker discovers it. */
export const JobHandler = (name: JobName): MethodDecorator => SetMetadata(JOB_HANDLER, name);
