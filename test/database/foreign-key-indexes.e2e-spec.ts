import { Client } from 'pg';
import { createTestDatabase } from '../support/test-app';

/**
 * Every foreign key's referencing columns must lead some index: deleting (or updating the key of)
 * a referenced row makes PostgreSQL look up the referencing rows, which without an index is a
 * sequential scan of the referencing table per deleted row (a job whose cost grows with the table).
 */
const UNINDEXED_FOREIGN_KEYS = `
  SELECT c.conrelid::regclass::text AS table_name, c.conname AS constraint_name,
         array_to_string(ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                               JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                               ORDER BY k.n), ', ') AS columns
  FROM pg_constraint c
  JOIN pg_namespace n ON n.oid = c.connamespace
  WHERE c.contype = 'f' AND n.nspname = 'public'
    AND NOT EXISTS (
      SELECT 1 FROM pg_index i
      WHERE i.indrelid = c.conrelid AND i.indpred IS NULL
        AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
        AND (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey)
  ORDER BY 1, 2`;

describe('foreign-key indexes (docs/data-model.md)', () => {
  let database: { url: string; drop(): Promise<void> };
  let client: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    client = new Client({ connectionString: database.url });
    await client.connect();
  });

  afterAll(async () => {
    await client.end();
    await database.drop();
  });

  it('should have an index led by the referencing columns of every foreign key', async () => {
    const { rows } = await client.query<{ table_name: string; constraint_name: string; columns: string }>(
      UNINDEXED_FOREIGN_KEYS,
    );

    expect(rows.map((row) => `${row.table_name}(${row.columns}) ${row.constraint_name}`)).toEqual([]);
  });

  it('should see the foreign keys it checks', async () => {
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE c.contype = 'f' AND n.nspname = 'public'`,
    );

    expect(Number(rows[0].count)).toBeGreaterThan(20);
  });
});
