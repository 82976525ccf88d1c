import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #17, the live event stream (docs/events.md): single-use stream tickets, and a NOTIFY on
// channel `user_events` at commit of every changes-feed row (`c:<user id>`) and every new
// notification (`n:<user id>:<notification id>`), which every API instance LISTENs to.
// Identical notifications of one transaction are folded into one by PostgreSQL.
export class EventStream1768560000001 implements MigrationInterface {
  name = 'EventStream1768560000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE event_stream_tickets (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        ticket_hash char(64) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        CONSTRAINT pk_event_stream_tickets PRIMARY KEY (id),
        CONSTRAINT uq_event_stream_tickets_ticket_hash UNIQUE (ticket_hash),
        CONSTRAINT fk_event_stream_tickets_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX idx_event_stream_tickets_user_id ON event_stream_tickets (user_id)`);
    await queryRunner.query(`
      CREATE FUNCTION notify_user_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'notifications' THEN
          PERFORM pg_notify('user_events', 'n:' || NEW.user_id || ':' || NEW.id);
        ELSE
          PERFORM pg_notify('user_events', 'c:' || NEW.user_id);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER trg_sync_changes_notify AFTER INSERT OR UPDATE ON sync_changes
      FOR EACH ROW EXECUTE FUNCTION notify_user_event()`);
    await queryRunner.query(`
      CREATE TRIGGER trg_notifications_notify AFTER INSERT ON notifications
      FOR EACH ROW EXECUTE FUNCTION notify_user_event()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_notifications_notify ON notifications`);
    await queryRunner.query(`DROP TRIGGER trg_sync_changes_notify ON sync_changes`);
    await queryRunner.query(`DROP FUNCTION notify_user_event()`);
    await queryRunner.query(`DROP TABLE event_stream_tickets`);
  }
}
