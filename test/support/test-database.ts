import { createServer } from 'node:net';
import { Client } from 'pg';

/** Shared by the Jest global setup and every e2e file (through environment variables). */
export const TEMPLATE_DATABASE = 'perpetua_test_template';
export const TEST_DATA_DIR = '.data/test';

/** The embedded cluster of this test run (the global setup's process). */
export function runDataDir(): string {
  return `${TEST_DATA_DIR}/run-${process.pid}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export function adminUrl(): string {
  const url = process.env.PERPETUA_TEST_ADMIN_URL;
  if (!url) throw new Error('PERPETUA_TEST_ADMIN_URL is unset: run e2e tests through jest (global setup)');
  return url;
}

export function databaseUrl(admin: string, database: string): string {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function withAdmin<T>(admin: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
