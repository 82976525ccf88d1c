import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-catalogue';

export const JOB_CLOCK = 'perpetua:jobClock';

export interface JobClockOptions {
  job: JobName;
  /** The PostgreSQL channel notified when the next due instant may have changed. */
  channel: string;
}

/** The instant the job is next due, or null when nothing is pending. */
export type JobClockFn = () => Promise<Date | null>;

/**
 * Marks a provider method as the clock of a job that runs when something falls due rather than on a
 * schedule: the runner runs `job` as soon as the method's instant has passed, re-reads it every
 * second and at once when `channel` is notified (docs/jobs.md §4 `reminder_fire`).
 */
export const JobClock = (options: JobClockOptions): MethodDecorator => SetMetadata(JOB_CLOCK, options);
