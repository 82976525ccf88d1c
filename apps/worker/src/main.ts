import '@app/core/process/require-node';
import '@app/core/process/load-env-file';
import '@app/core/process/tracing';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@app/core/config/app-config';
import { prepareDatabase } from '@app/core/database/database-bootstrap';
import { closeOnSignal, exitOnBootFailure } from '@app/core/process/shutdown';
import { HeartbeatService } from './heartbeat.service';
import { JobRunner } from './job-runner.service';
import { RunnerOpsServer } from './runner-ops-server';
import { withTimeout } from './timing';
import { WorkerModule } from './worker.module';

/** After the runner stopped (6 s at most), closing the database pools may take this long. */
const CLOSE_TIMEOUT_MS = 2500;

/**
 * The job runner process. SIGTERM/SIGINT: stop claiming, let running jobs finish (6 s), give the
 * rest back to the queue, close; the process is gone within 10 s.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const database = await prepareDatabase(config, (message) => console.error(message));
  const app = await NestFactory.createApplicationContext(WorkerModule.register({ config, databaseUrl: database.url }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const runner = app.get(JobRunner);
  closeOnSignal(async () => {
    await runner.stop();
    // A released job's handler may still wait on the database; its transaction dies with the process.
    await withTimeout(app.close(), CLOSE_TIMEOUT_MS);
    await database.embedded?.stop();
  });
  if (config.RUNNER_HTTP_PORT) await app.get(RunnerOpsServer).listen(config.RUNNER_HTTP_PORT);
  await app.get(HeartbeatService).start();
  await runner.start();
}

bootstrap().catch(exitOnBootFailure);
