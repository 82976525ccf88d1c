import type { TestApp } from './test-app';

async function nextXid(t: TestApp): Promise<number> {
  const [{ xmax }] = await t.dataSource.query('SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS xmax');
  return Number(xmax);
}

/**
 * The writing transactions `work` committed in the test app's database (docs/api.md §1.10 "one
 * commit per write"): every writing transaction takes one transaction id and stamps it as `xmin`
 * on the rows it writes. Ids are counted from the rows, so transactions of other test files (other
 * databases of the cluster) do not count; a transaction whose rows a later one overwrote neither.
 */
export async function commitsOf(t: TestApp, work: () => Promise<unknown>): Promise<number> {
  const from = await nextXid(t);
  await work();
  const to = await nextXid(t);
  const tables: Array<{ name: string }> = await t.dataSource.query(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
     WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
  );
  const xids = new Set<string>();
  for (const { name } of tables) {
    const stamped: Array<{ xid: string }> = await t.dataSource.query(
      `SELECT DISTINCT xmin::text AS xid FROM ${name} WHERE xmin::text::bigint >= $1 AND xmin::text::bigint < $2`,
      [from, to],
    );
    for (const { xid } of stamped) xids.add(xid);
  }
  return xids.size;
}
