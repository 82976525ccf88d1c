import { MigrationInterface, QueryRunner } from 'typeorm';

// Wakes the job runner's reminder clock (docs/jobs.md §4 `reminder_fire`) whenever a reminder becomes
// pending or moves: NOTIFY on channel `reminders_due` at commit of any insert or change of
// `scheduled_at`/`fired` that leaves the reminder pending. Identical notifications of one
// transaction are folded into one by PostgreSQL.
export class ReminderDueNotify1767312000000 implements MigrationInterface {
  name = 'ReminderDueNotify1767312000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION notify_reminder_due() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('reminders_due', '');
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_reminders_due_notify
      AFTER INSERT OR UPDATE OF scheduled_at, fired ON reminders
      FOR EACH ROW WHEN (NEW.fired = false)
      EXECUTE FUNCTION notify_reminder_due()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_reminders_due_notify ON reminders`);
    await queryRunner.query(`DROP FUNCTION notify_reminder_due()`);
  }
}
