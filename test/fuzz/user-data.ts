import type { DataSource } from 'typeorm';

/**
 * Bookkeeping tables that legitimately change on rejected requests: refresh-token reuse revokes
 * the session (a 401), stored idempotency outcomes of 4xx answers, acknowledged webhook events,
 * and the sync change log (derived from the tables compared here).
 */
const BOOKKEEPING = new Set(['refresh_tokens', 'idempotency_keys', 'webhook_events', 'sync_changes']);

/** Table → rows (as canonical JSON text) of everything the given users own. */
export type UserData = Record<string, string>;

const queries = new WeakMap<DataSource, Promise<string>>();

/** One query over every table with a `user_id` column (found in the catalogue, so new tables are included). */
async function snapshotQuery(db: DataSource): Promise<string> {
  const tables: Array<{ table_name: string }> = await db.query(
    `SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'user_id' ORDER BY table_name`,
  );
  const parts = tables
    .map(({ table_name: table }) => table)
    .filter((table) => !BOOKKEEPING.has(table))
    .map(
      (table) =>
        `SELECT '${table}' AS t, (SELECT coalesce(json_agg(x ORDER BY x::text), '[]')::text FROM ${table} x WHERE x.user_id = ANY($1)) AS rows`,
    );
  parts.push(
    `SELECT 'users', (SELECT coalesce(json_agg(x ORDER BY x::text), '[]')::text FROM users x WHERE x.id = ANY($1))`,
    `SELECT 'subtasks', (SELECT coalesce(json_agg(s ORDER BY s::text), '[]')::text FROM subtasks s
       JOIN task_instances ti ON ti.id = s.task_id WHERE ti.user_id = ANY($1))`,
  );
  return parts.join(' UNION ALL ');
}

/** Everything the users own, read in one statement (one consistent snapshot). */
export async function userData(db: DataSource, userIds: string[]): Promise<UserData> {
  let query = queries.get(db);
  if (!query) {
    query = snapshotQuery(db);
    queries.set(db, query);
  }
  const rows: Array<{ t: string; rows: string }> = await db.query(await query, [userIds]);
  return Object.fromEntries(rows.map((row) => [row.t, row.rows]));
}

/** The tables whose rows differ between two snapshots (empty when nothing changed). */
export function changedTables(before: UserData, after: UserData): string[] {
  return Object.keys({ ...before, ...after }).filter((table) => before[table] !== after[table]);
}
