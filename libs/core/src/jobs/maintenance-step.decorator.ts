import { SetMetadata } from '@nestjs/common';

export const MAINTENANCE_STEP = 'perpetua:maintenanceStep';

/** A part of `maintenance_cleanup`: its counts, merged into the job's one result. */
export type MaintenanceStepFn = (now: Date) => Promise<Record<string, number>>;

/**
 * Marks a provider method as a step of `maintenance_cleanup` (docs/jobs.md §4), so each feature
 * keeps its own retention. Steps run, and their counts appear in the result, by ascending `order`.
 */
export const MaintenanceStep = (order: number): MethodDecorator => SetMetadata(MAINTENANCE_STEP, order);
