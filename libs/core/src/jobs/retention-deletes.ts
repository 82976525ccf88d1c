import type { DataSource } from 'typeorm';

/** Which rows of a table a retention delete takes: `column` before the cutoff (and `also`). */
export interface RetentionTarget {
  table: string;
  key: string;
  column: string;
  /** An extra SQL condition on the rows. */
  also?: string;
}

/**
 * A retention delete of `maintenance_cleanup` (docs/jobs.md §4): the rows whose `column` is before
 * `cutoff` (and match `also`), oldest first, read from the column's index. Deletes go by batches of
 * `batchSize` keys, each its own statement, so that a large backlog never becomes one huge
 * transaction and what was deleted stays deleted if a later batch fails. The batch's keys are one
 * array, looked up by the key's index: joined as `IN (subquery)`, a batch that is a fair share of
 * the table was a hash join over a scan of the whole table, per batch. Each batch starts its index
 * range where the previous one ended (its last value, as text: exact to the microsecond). Started
 * from the beginning of the index, every batch stepped over the entries of every batch deleted
 * before it (dead until vacuum), so a backlog cost its square.
 */
export async function deleteBefore(
  dataSource: DataSource,
  { table, key, column, also = 'true' }: RetentionTarget,
  cutoff: Date,
  batchSize: number,
): Promise<number> {
  let deleted = 0;
  let from = '-infinity';
  for (;;) {
    const [batch]: Array<{ deleted: number; last: string | null }> = await dataSource.query(
      `WITH gone AS (
         DELETE FROM ${table} WHERE ${key} = ANY(ARRAY(
           SELECT ${key} FROM ${table}
           WHERE ${column} >= $3::timestamptz AND ${column} < $1 AND ${also}
           ORDER BY ${column} LIMIT $2))
         RETURNING ${column} AS at)
       SELECT count(*)::int AS deleted, max(at)::text AS last FROM gone`,
      [cutoff, batchSize, from],
    );
    deleted += batch.deleted;
    if (batch.deleted < batchSize || batch.last === null) return deleted;
    from = batch.last;
  }
}

export const DAY_MS = 24 * 60 * 60_000;
