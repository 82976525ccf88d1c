import { MigrationInterface, QueryRunner } from 'typeorm';

// A stored outcome is replayed verbatim (docs/api.md §1.10): jsonb reorders object keys, so the body is
// kept as the exact JSON text the first answer sent.
export class IdempotencyVerbatimBody1768000000000 implements MigrationInterface {
  name = 'IdempotencyVerbatimBody1768000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE idempotency_keys ALTER COLUMN response_body TYPE text USING response_body::text`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE idempotency_keys ALTER COLUMN response_body TYPE jsonb USING response_body::jsonb`,
    );
  }
}
