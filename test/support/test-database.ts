import { Client } from 'pg';

/** Shared by the Jest global setup and every e2e file (through environment variables). */
export const TEMPLATE_DATABASE = 'perpetua_test_template';
export const TEST_DATA_DIR = '.data/test';
export const TEST_PG_PORT = 54339;

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
