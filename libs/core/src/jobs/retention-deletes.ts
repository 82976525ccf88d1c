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
 * the table was a hash join over a scan of the whole table, per batch.
 */
export async function deleteBefore(
  dataSource: DataSource,
  { table, key, column, also = 'true' }: RetentionTarget,
  cutoff: Date,
  batchSize: number,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const [, affected]: [unknown, number] = await dataSource.query(
      `DELETE FROM ${table} WHERE ${key} = ANY(ARRAY(
         SELECT ${key} FROM ${table} WHERE ${column} < $1 AND ${also} ORDER BY ${column} LIMIT $2))`,
      [cutoff, batchSize],
    );
    deleted += affected;
    if (affected < batchSize) return deleted;
  }
}

export const DAY_MS = 24 * 60 * 60_000;
