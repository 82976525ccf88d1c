import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #18, the two jobs whose cost per item still grew with the tables:
// - `reminder_fire` locks each batch of due reminders `ORDER BY scheduled_at, id LIMIT 500`: with
//   the pending index on `scheduled_at` alone the planner read and sorted every due reminder per
//   batch (or scanned the table); led by (scheduled_at, id) the batch is the index's first rows.
//   It supersedes the index on `scheduled_at` alone (the earliest pending time reads it too).
// - `streak_calculate` counts the streaks > 0 last extended before a date: the pending-streak index
//   is led by the user id (the batches walk users in key ranges), so the count read the whole
//   table; this one answers it with a range of an index-only scan.
export class BurstAndStreakIndexes1768400000002 implements MigrationInterface {
  name = 'BurstAndStreakIndexes1768400000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX idx_reminders_pending_scheduled_at_id ON reminders (scheduled_at, id) WHERE fired = false`,
    );
    await queryRunner.query(`DROP INDEX idx_reminders_scheduled_at_pending`);
    await queryRunner.query(
      `CREATE INDEX idx_user_achievement_states_streak_date ON user_achievement_states (last_completion_date) WHERE current_streak > 0`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idx_user_achievement_states_streak_date`);
    await queryRunner.query(
      `CREATE INDEX idx_reminders_scheduled_at_pending ON reminders (scheduled_at) WHERE fired = false`,
    );
    await queryRunner.query(`DROP INDEX idx_reminders_pending_scheduled_at_id`);
  }
}
