import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@app/core/config/app-config';
import type { JobName } from '@app/core/jobs/job-catalogue';
import type { JobResult } from '@app/core/jobs/job-handler.decorator';
import { JobExecutor } from '../../apps/worker/src/job-executor';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { baseTestEnv } from './test-app';

export interface TestWorker {
  context: INestApplicationContext;
  /** Runs one job's handler once with the given clock, like `npm run job -- <name> --now=…` (`attempt`: of a queued job). */
  runJob(name: JobName, now?: Date, data?: Record<string, unknown>, attempt?: number): Promise<JobResult>;
  close(): Promise<void>;
}

/** The job runner's module graph on a test app's database (runner loop not started unless asked). */
export async function createTestWorker(databaseUrl: string, env: Record<string, string> = {}): Promise<TestWorker> {
  const config = loadConfig({ ...baseTestEnv(), ...env, DATABASE_URL: databaseUrl });
  const context = await NestFactory.createApplicationContext(WorkerModule.register({ config, databaseUrl }), {
    logger: false,
  });
  return {
    context,
    runJob: (name, now = new Date(), data = {}, attempt = 1) =>
      context.get(JobExecutor).execute(name, { now, data, jobId: null, attempt }),
    close: () => context.close(),
  };
}
