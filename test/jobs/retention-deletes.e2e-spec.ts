import { DataSource } from 'typeorm';
import { deleteBefore } from '@app/core/jobs/retention-deletes';
import { createTestDatabase } from '../support/test-app';

/**
 * The one batched retention delete (docs/jobs-batches.md "Deletes"): each batch continues the index
 * range where the previous one ended, so what must be deleted across batch boundaries (ties,
 * microsecond-apart values, rows `also` keeps) is deleted exactly.
 */
describe('deleteBefore (docs/jobs-batches.md)', () => {
  let database: { url: string; drop(): Promise<void> };
  let dataSource: DataSource;
  const cutoff = new Date('2030-01-01T00:00:00.000Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    await dataSource.query(
      `CREATE TABLE retention_probe (id serial PRIMARY KEY, at timestamptz NOT NULL, kept boolean NOT NULL);
       CREATE INDEX idx_retention_probe_at ON retention_probe (at)`,
    );
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  beforeEach(() => dataSource.query(`TRUNCATE retention_probe`));

  const target = { table: 'retention_probe', key: 'id', column: 'at', also: 'NOT kept' };
  const left = async (): Promise<Array<{ at: string; kept: boolean }>> =>
    dataSource.query(`SELECT at::text AS at, kept FROM retention_probe ORDER BY at, id`);

  it('should delete every row before the cutoff across batches of microsecond-apart values and keep the rest', async () => {
    // 23 rows one microsecond apart, every fifth kept by `also`, two after the cutoff.
    await dataSource.query(
      `INSERT INTO retention_probe (at, kept)
       SELECT $1::timestamptz - interval '21 microseconds' + g * interval '1 microsecond', g % 5 = 0
       FROM generate_series(0, 22) AS g`,
      [cutoff],
    );
    const expectedLeft: Array<{ at: string; kept: boolean }> = await dataSource.query(
      `SELECT at::text AS at, kept FROM retention_probe WHERE kept OR at >= $1 ORDER BY at, id`,
      [cutoff],
    );

    expect(await deleteBefore(dataSource, target, cutoff, 4)).toBe(16);
    expect(await left()).toEqual(expectedLeft);
    expect(expectedLeft).toHaveLength(7);
  });

  it('should delete rows sharing one instant across a batch boundary', async () => {
    await dataSource.query(
      `INSERT INTO retention_probe (at, kept)
       SELECT $1::timestamptz - CASE WHEN g < 3 THEN interval '2 days' ELSE interval '1 day' END, false
       FROM generate_series(0, 9) AS g`,
      [cutoff],
    );

    // Batches of 4: the second batch ends inside the seven rows at one instant.
    expect(await deleteBefore(dataSource, target, cutoff, 4)).toBe(10);
    expect(await left()).toEqual([]);
  });

  it('should delete nothing when no row is before the cutoff', async () => {
    await dataSource.query(`INSERT INTO retention_probe (at, kept) VALUES ($1, false)`, [cutoff]);

    expect(await deleteBefore(dataSource, target, cutoff, 4)).toBe(0);
    expect(await left()).toHaveLength(1);
  });
});
