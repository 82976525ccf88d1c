import { SetMetadata } from '@nestjs/common';
import type { JobName } from './job-catalogue';

export const RUN_SIZE = 'perpetua:runSize';
export const RUN_BATCH = 'perpetua:runBatch';

/**
 * Marks a provider method as the `size` of a batched job (`BatchedJob`, docs/jobs-batches.md); the
 * worker pairs it with the `@RunBatch` of the same job and registers both with `BatchedRuns`.
 */
export const RunSize = (name: JobName): MethodDecorator => SetMetadata(RUN_SIZE, name);

/** Marks a provider method as the `batch` of a batched job (see `RunSize`). */
export const RunBatch = (name: JobName): MethodDecorator => SetMetadata(RUN_BATCH, name);
