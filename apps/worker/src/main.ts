import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@app/core/config/app-config';
import { prepareDatabase } from '@app/core/database/database-bootstrap';
import { closeOnSignal, exitOnBootFailure } from '@app/core/process/shutdown';
import { HeartbeatService } from './heartbeat.service';
import { JobRunner } from './job-runner.service';
import { WorkerModule } from './worker.module';

/**
 * The job runner process. SIGTERM/SIGINT: stop claiming, let running jobs finish (7 s), give the
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
    await app.close();
    await database.embedded?.stop();
  });
  await app.get(HeartbeatService).start();
  await runner.start();
}

bootstrap().catch(exitOnBootFailure);
