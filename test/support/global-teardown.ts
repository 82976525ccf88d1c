import { rmSync } from 'node:fs';
import type { EmbeddedPostgres } from '../../libs/core/src/database/embedded-postgres';
import { runDataDir } from './test-database';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __perpetuaTestPg?: EmbeddedPostgres }).__perpetuaTestPg;
  if (!server) return;
  await server.destroy();
  rmSync(runDataDir(), { recursive: true, force: true });
}
