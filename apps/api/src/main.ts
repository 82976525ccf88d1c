import '@app/core/process/require-node';
import './apply-heap-settings';
import '@app/core/process/load-env-file';
import '@app/core/process/tracing';
import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@app/core/config/app-config';
import { prepareDatabase } from '@app/core/database/database-bootstrap';
import { EventStreams } from '@app/events/event-streams';
import { closeOnSignal, exitOnBootFailure } from '@app/core/process/shutdown';
import { ApiModule } from './api.module';
import { configureApp, listen } from './http/configure-app';
import { drainHttpServer } from './http/drain-http';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const database = await prepareDatabase(config, (message) => console.error(message));
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.register({ config, databaseUrl: database.url, role: 'api' }),
    { bodyParser: false, bufferLogs: true },
  );
  configureApp(app);
  await listen(app, config.PORT);
  closeOnSignal(async () => {
    // Event streams never finish by themselves: end them so the drain can (clients reconnect).
    app.get(EventStreams).closeAll();
    await drainHttpServer(app.getHttpServer() as Server);
    await app.close();
    await database.embedded?.stop();
  });
}

bootstrap().catch(exitOnBootFailure);
