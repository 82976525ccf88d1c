import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #18, the reminder burst: `reminder_fire` marks up to 500 reminders fired per statement, and
// the row-level sync trigger ran `sync_record_change` (a PL/pgSQL call and an INSERT … ON CONFLICT
// planned anew) once per row: about 85 % of that UPDATE's time. The same changes-feed rows
// (docs/sync.md) are now written by one INSERT per statement from its transition table; the
// suppression of account deletion is kept. Other tables keep the row-level trigger.
const EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;

export class ReminderSyncPerStatement1768600000000 implements MigrationInterface {
  name = 'ReminderSyncPerStatement1768600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION sync_log_owned_rows() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('perpetua.sync_suppressed', true) = 'on' THEN
          RETURN NULL;
        END IF;
        INSERT INTO sync_changes (entity_type, entity_id, user_id, txid, seq, deleted, changed_at)
        SELECT TG_ARGV[0], c.id, c.user_id, pg_current_xact_id()::text::bigint, nextval('sync_change_seq'),
               TG_OP = 'DELETE', clock_timestamp()
        FROM changed c
        ON CONFLICT (entity_type, entity_id) DO UPDATE
          SET user_id = EXCLUDED.user_id, txid = EXCLUDED.txid, seq = EXCLUDED.seq, deleted = EXCLUDED.deleted,
              changed_at = EXCLUDED.changed_at;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`DROP TRIGGER trg_reminders_sync ON reminders`);
    for (const event of EVENTS) {
      await queryRunner.query(`
        CREATE TRIGGER trg_reminders_sync_${event.toLowerCase()} AFTER ${event} ON reminders
        REFERENCING ${event === 'DELETE' ? 'OLD' : 'NEW'} TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION sync_log_owned_rows('reminder')`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of EVENTS) {
      await queryRunner.query(`DROP TRIGGER trg_reminders_sync_${event.toLowerCase()} ON reminders`);
    }
    await queryRunner.query(`
      CREATE TRIGGER trg_reminders_sync AFTER INSERT OR UPDATE OR DELETE ON reminders
      FOR EACH ROW EXECUTE FUNCTION sync_log_owned_change('reminder')`);
    await queryRunner.query(`DROP FUNCTION sync_log_owned_rows()`);
  }
}
