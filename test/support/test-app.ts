import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import supertest from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '@app/core/config/app-config';
import { ApiModule } from '../../apps/api/src/api.module';
import { configureApp } from '../../apps/api/src/http/configure-app';
import { adminUrl, databaseUrl, TEMPLATE_DATABASE, TEST_DATA_DIR, withAdmin } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  http: supertest.Agent;
  dataSource: DataSource;
  config: AppConfig;
  databaseUrl: string;
  /** Base URL of the listening server (for WebSocket and fetch clients). */
  baseUrl: string;
  close(): Promise<void>;
}

/** Environment every test app starts from; a test's own `env` overrides it. */
export function baseTestEnv(): Record<string, string> {
  return {
    NODE_ENV: 'test',
    AUTH_DEV_LOGIN: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    DATA_DIR: TEST_DATA_DIR,
    DB_MIGRATE_ON_START: 'false',
    RATE_LIMIT_AUTH: '10000',
    JWT_PRIVATE_KEY: process.env.PERPETUA_TEST_JWT_PRIVATE_KEY ?? '',
    JWT_PUBLIC_KEY: process.env.PERPETUA_TEST_JWT_PUBLIC_KEY ?? '',
  };
}

/** A database of its own, cloned from the migrated template. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = adminUrl();
  const name = `perpetua_test_${randomUUID().replace(/-/g, '')}`;
  await withAdmin(admin, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
  return {
    url: databaseUrl(admin, name),
    drop: () =>
      withAdmin(admin, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/**
 * Boots the real API exactly as `main.ts` does, on a fresh database (or, as a second instance, on
 * `sharedDatabaseUrl`, which closing it leaves in place), listening on 127.0.0.1.
 */
export async function createTestApp(env: Record<string, string> = {}, sharedDatabaseUrl?: string): Promise<TestApp> {
  const database = sharedDatabaseUrl
    ? { url: sharedDatabaseUrl, drop: () => Promise.resolve() }
    : await createTestDatabase();
  const config = loadConfig({ ...baseTestEnv(), ...env, DATABASE_URL: database.url });
  const app = await NestFactory.create<NestExpressApplication>(
    ApiModule.register({ config, databaseUrl: database.url, role: 'api', poolSize: 5 }),
    { bodyParser: false, logger: false },
  );
  configureApp(app);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    http: supertest.agent(server),
    dataSource: app.get(DataSource),
    config,
    databaseUrl: database.url,
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}
