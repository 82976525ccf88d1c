import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #16: provider events arrive out of order; the time of the latest applied one decides
// whether a late decline or cancellation is stale (docs/billing-events.md §2). Existing rows
// start from the latest payment, failure or cancellation they already record.
export class SubscriptionLastEventAt1768550000000 implements MigrationInterface {
  name = 'SubscriptionLastEventAt1768550000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE subscriptions ADD COLUMN last_event_at timestamptz(3) NULL`);
    await queryRunner.query(
      `UPDATE subscriptions SET last_event_at = GREATEST(last_payment_at, last_failed_payment_at, cancelled_at)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE subscriptions DROP COLUMN last_event_at`);
  }
}
