import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #18: a large scheduled job is cut into batches (key ranges) that any runner may claim
// (`FOR UPDATE SKIP LOCKED` on the claim row, held by the batch's own transaction), so a second
// runner shortens the run; the runner that started the run adds up the batches' result counts.
export class JobBatchRuns1768400000001 implements MigrationInterface {
  name = 'JobBatchRuns1768400000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE job_batch_runs (
        run_key uuid NOT NULL,
        job_name varchar(64) NOT NULL,
        job_now timestamptz(3) NOT NULL,
        batches integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_job_batch_runs PRIMARY KEY (run_key),
        CONSTRAINT chk_job_batch_runs_batches CHECK (batches > 0)
      )`);
    await queryRunner.query(`CREATE INDEX idx_job_batch_runs_job_name ON job_batch_runs (job_name, created_at)`);
    await queryRunner.query(`
      CREATE TABLE job_batch_claims (
        run_key uuid NOT NULL,
        batch integer NOT NULL,
        result jsonb NULL,
        finished_by varchar(64) NULL,
        finished_at timestamptz(3) NULL,
        CONSTRAINT pk_job_batch_claims PRIMARY KEY (run_key, batch),
        CONSTRAINT fk_job_batch_claims_run_key FOREIGN KEY (run_key) REFERENCES job_batch_runs (run_key)
          ON DELETE CASCADE
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE job_batch_claims`);
    await queryRunner.query(`DROP TABLE job_batch_runs`);
  }
}
