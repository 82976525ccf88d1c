import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #9: calendar feeds, data exports, retained payment records after account deletion, and
// the changes feed log (docs/calendar-feed.md, docs/export-and-deletion.md, docs/sync.md).
export class CalendarExportSync1767484800000 implements MigrationInterface {
  name = 'CalendarExportSync1767484800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // One secret feed token per user, stored as its SHA-256; the content hash and the instant it
    // last changed are the feed's ETag and Last-Modified.
    await queryRunner.query(`
      CREATE TABLE calendar_feeds (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        content_hash char(64) NULL,
        content_changed_at timestamptz(3) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_calendar_feeds PRIMARY KEY (id),
        CONSTRAINT uq_calendar_feeds_user_id UNIQUE (user_id),
        CONSTRAINT uq_calendar_feeds_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_calendar_feeds_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE data_exports (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        content text NULL,
        size_bytes integer NULL,
        completed_at timestamptz(3) NULL,
        expires_at timestamptz(3) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_data_exports PRIMARY KEY (id),
        CONSTRAINT fk_data_exports_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_data_exports_status CHECK (status IN ('pending', 'ready', 'failed')),
        CONSTRAINT chk_data_exports_content CHECK ((status = 'ready') = (content IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_data_exports_user_id_created_at ON data_exports (user_id, created_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX idx_data_exports_expires_at ON data_exports (expires_at)`);
    // at most one export in preparation per user
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_data_exports_user_id_pending ON data_exports (user_id) WHERE status = 'pending'`,
    );

    // Bookkeeping copy of a deleted account's captured payments: no user id, no personal data.
    await queryRunner.query(`
      CREATE TABLE retained_payment_records (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        payment_id text NOT NULL,
        purpose text NOT NULL,
        amount_cents integer NOT NULL,
        currency char(3) NOT NULL,
        credits integer NULL,
        period_start timestamptz(3) NULL,
        period_end timestamptz(3) NULL,
        paid_at timestamptz(3) NOT NULL,
        account_deleted_at timestamptz(3) NOT NULL,
        retain_until timestamptz(3) NOT NULL,
        CONSTRAINT pk_retained_payment_records PRIMARY KEY (id),
        CONSTRAINT uq_retained_payment_records_payment_id UNIQUE (payment_id),
        CONSTRAINT chk_retained_payment_records_purpose CHECK (purpose IN ('pro_subscription', 'credit_purchase')),
        CONSTRAINT chk_retained_payment_records_amount_cents CHECK (amount_cents >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_retained_payment_records_retain_until ON retained_payment_records (retain_until)`,
    );

    // The changes feed: one row per synced entity holding its latest change. `txid` is the
    // writing transaction (pg_current_xact_id as bigint) and `seq` orders rows within it; readers
    // only return rows of transactions older than their snapshot's xmin, so a transaction that
    // commits late can never land behind a cursor already handed out.
    await queryRunner.query(`CREATE SEQUENCE sync_change_seq AS bigint`);
    await queryRunner.query(`
      CREATE TABLE sync_changes (
        entity_type text NOT NULL,
        entity_id uuid NOT NULL,
        user_id uuid NOT NULL,
        txid bigint NOT NULL,
        seq bigint NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        changed_at timestamptz(3) NOT NULL,
        CONSTRAINT pk_sync_changes PRIMARY KEY (entity_type, entity_id),
        CONSTRAINT chk_sync_changes_entity_type CHECK (entity_type IN ('task', 'subtask', 'reminder', 'note', 'template'))
      )`);
    await queryRunner.query(`CREATE INDEX idx_sync_changes_user_id_position ON sync_changes (user_id, txid, seq)`);
    await queryRunner.query(`CREATE INDEX idx_sync_changes_tombstones ON sync_changes (changed_at) WHERE deleted`);

    await queryRunner.query(`
      CREATE FUNCTION sync_record_change(p_type text, p_id uuid, p_user uuid, p_deleted boolean) RETURNS void
      LANGUAGE sql AS $$
        INSERT INTO sync_changes (entity_type, entity_id, user_id, txid, seq, deleted, changed_at)
        VALUES (p_type, p_id, p_user, pg_current_xact_id()::text::bigint, nextval('sync_change_seq'), p_deleted,
                clock_timestamp())
        ON CONFLICT (entity_type, entity_id) DO UPDATE
          SET user_id = EXCLUDED.user_id, txid = EXCLUDED.txid, seq = EXCLUDED.seq, deleted = EXCLUDED.deleted,
              changed_at = EXCLUDED.changed_at
      $$`);
    // Account deletion sets perpetua.sync_suppressed for its transaction: the cascade writes nothing.
    await queryRunner.query(`
      CREATE FUNCTION sync_log_owned_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('perpetua.sync_suppressed', true) = 'on' THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
          PERFORM sync_record_change(TG_ARGV[0], OLD.id, OLD.user_id, true);
        ELSE
          PERFORM sync_record_change(TG_ARGV[0], NEW.id, NEW.user_id, false);
        END IF;
        RETURN NULL;
      END
      $$`);
    // Subtasks have no user_id: the owner comes from the task or, once a cascade removed the
    // task, from the subtask's own log row. Changes to a task's subtask counts also move the task.
    await queryRunner.query(`
      CREATE FUNCTION sync_log_subtask_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        v_id uuid;
        v_task uuid;
        v_user uuid;
        v_counts_changed boolean := true;
      BEGIN
        IF current_setting('perpetua.sync_suppressed', true) = 'on' THEN
          RETURN NULL;
        END IF;
        IF TG_OP = 'DELETE' THEN
          v_id := OLD.id;
          v_task := OLD.task_id;
        ELSE
          v_id := NEW.id;
          v_task := NEW.task_id;
        END IF;
        IF TG_OP = 'UPDATE' THEN
          v_counts_changed := OLD.completed IS DISTINCT FROM NEW.completed OR OLD.task_id IS DISTINCT FROM NEW.task_id;
        END IF;
        SELECT user_id INTO v_user FROM task_instances WHERE id = v_task;
        IF v_user IS NULL THEN
          SELECT user_id INTO v_user FROM sync_changes WHERE entity_type = 'subtask' AND entity_id = v_id;
        END IF;
        IF v_user IS NULL THEN
          RETURN NULL;
        END IF;
        PERFORM sync_record_change('subtask', v_id, v_user, TG_OP = 'DELETE');
        IF v_counts_changed THEN
          UPDATE sync_changes
          SET txid = pg_current_xact_id()::text::bigint, seq = nextval('sync_change_seq'), changed_at = clock_timestamp()
          WHERE entity_type = 'task' AND entity_id = v_task AND NOT deleted;
        END IF;
        RETURN NULL;
      END
      $$`);
    for (const [table, type] of [
      ['task_instances', 'task'],
      ['reminders', 'reminder'],
      ['notes', 'note'],
      ['task_templates', 'template'],
    ]) {
      await queryRunner.query(`
        CREATE TRIGGER trg_${table}_sync AFTER INSERT OR UPDATE OR DELETE ON ${table}
        FOR EACH ROW EXECUTE FUNCTION sync_log_owned_change('${type}')`);
      await queryRunner.query(`
        INSERT INTO sync_changes (entity_type, entity_id, user_id, txid, seq, deleted, changed_at)
        SELECT '${type}', id, user_id, pg_current_xact_id()::text::bigint, nextval('sync_change_seq'), false, now()
        FROM ${table}`);
    }
    await queryRunner.query(`
      CREATE TRIGGER trg_subtasks_sync AFTER INSERT OR UPDATE OR DELETE ON subtasks
      FOR EACH ROW EXECUTE FUNCTION sync_log_subtask_change()`);
    await queryRunner.query(`
      INSERT INTO sync_changes (entity_type, entity_id, user_id, txid, seq, deleted, changed_at)
      SELECT 'subtask', s.id, t.user_id, pg_current_xact_id()::text::bigint, nextval('sync_change_seq'), false, now()
      FROM subtasks s JOIN task_instances t ON t.id = s.task_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['task_instances', 'reminders', 'notes', 'task_templates', 'subtasks']) {
      await queryRunner.query(`DROP TRIGGER trg_${table}_sync ON ${table}`);
    }
    await queryRunner.query(`DROP FUNCTION sync_log_subtask_change()`);
    await queryRunner.query(`DROP FUNCTION sync_log_owned_change()`);
    await queryRunner.query(`DROP FUNCTION sync_record_change(text, uuid, uuid, boolean)`);
    await queryRunner.query(`DROP TABLE sync_changes`);
    await queryRunner.query(`DROP SEQUENCE sync_change_seq`);
    await queryRunner.query(`DROP TABLE retained_payment_records`);
    await queryRunner.query(`DROP TABLE data_exports`);
    await queryRunner.query(`DROP TABLE calendar_feeds`);
  }
}
