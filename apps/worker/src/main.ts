import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@app/core/config/app-config';
import { prepareDatabase } from '@app/core/database/database-bootstrap';
import { closeOnSignal, exitOnBootFailure } from '@app/core/process/shutdown';
import { HeartbeatService } from './heartbeat.service';
import { JobRunner } from './job-runner.service';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const database = await prepareDatabase(config, (message) => console.error(message));
  const app = await NestFactory.createApplicationContext(WorkerModule.register({ config, databaseUrl: database.url }), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  await app.get(HeartbeatService).start();
  await app.get(JobRunner).start();
  closeOnSignal(async () => {
    await app.get(JobRunner).stop();
    await app.close();
    await database.embedded?.stop();
  });
}

bootstrap().catch(exitOnBootFailure);
