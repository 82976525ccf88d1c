import '@app/core/process/load-env-file';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/core/config/app-config';
import { buildDataSourceOptions } from '@app/core/database/data-source-options';

/**
 * The DataSource of the TypeORM CLI (`npm run migration:run`). It needs `DATABASE_URL`; without
 * it, point at the embedded server that `npm start` runs (port `EMBEDDED_PG_PORT`).
 */
const config = loadConfig();
const url = config.DATABASE_URL ?? `postgres://postgres@127.0.0.1:${config.EMBEDDED_PG_PORT}/perpetua`;

export default new DataSource(buildDataSourceOptions({ url, poolSize: 2 }));
