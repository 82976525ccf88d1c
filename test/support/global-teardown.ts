import type { EmbeddedPostgres } from '../../libs/core/src/database/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __perpetuaTestPg?: EmbeddedPostgres }).__perpetuaTestPg?.stop();
}
