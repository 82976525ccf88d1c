import { MigrationInterface, QueryRunner } from 'typeorm';

// Hand-written (DEPENDENCIES.md §8): timestamptz(3), partial and expression indexes and the
// DEFERRABLE subtask order constraint are not expressible through entity decorators.
// Enum values are spelled out here on purpose: a migration is a frozen snapshot of the schema.
export class InitialSchema1767225600000 implements MigrationInterface {
  name = 'InitialSchema1767225600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // §1 users
    await queryRunner.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        google_id text NOT NULL,
        email text NOT NULL,
        name varchar(100) NOT NULL,
        avatar_url text NULL,
        timezone varchar(64) NOT NULL DEFAULT 'UTC',
        tier text NOT NULL DEFAULT 'free',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_users PRIMARY KEY (id),
        CONSTRAINT uq_users_google_id UNIQUE (google_id),
        CONSTRAINT chk_users_name CHECK (char_length(name) >= 1),
        CONSTRAINT chk_users_tier CHECK (tier IN ('free', 'pro'))
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX uq_users_email_lower ON users (lower(email))`);

    // §2 refresh_tokens
    await queryRunner.query(`
      CREATE TABLE refresh_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        token_hash char(64) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        revoked_at timestamptz(3) NULL,
        replaced_by_id uuid NULL,
        user_agent varchar(512) NULL,
        ip varchar(64) NULL,
        CONSTRAINT pk_refresh_tokens PRIMARY KEY (id),
        CONSTRAINT uq_refresh_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_refresh_tokens_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_refresh_tokens_replaced_by_id FOREIGN KEY (replaced_by_id)
          REFERENCES refresh_tokens (id) ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX idx_refresh_tokens_user_id ON refresh_tokens (user_id)`);

    // §3 task_templates
    await queryRunner.query(`
      CREATE TABLE task_templates (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        title varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        priority text NOT NULL DEFAULT 'medium',
        estimated_duration integer NULL,
        rrule varchar(500) NOT NULL,
        dtstart timestamptz(3) NOT NULL,
        next_due timestamptz(3) NULL,
        active boolean NOT NULL DEFAULT true,
        last_generated_at timestamptz(3) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_task_templates PRIMARY KEY (id),
        CONSTRAINT fk_task_templates_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_task_templates_title CHECK (char_length(title) >= 1),
        CONSTRAINT chk_task_templates_priority CHECK (priority IN ('low', 'medium', 'high')),
        CONSTRAINT chk_task_templates_estimated_duration CHECK (estimated_duration BETWEEN 1 AND 720)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_task_templates_user_id_created_at ON task_templates (user_id, created_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX idx_task_templates_active_next_due ON task_templates (active, next_due)`);

    // §4 task_instances
    await queryRunner.query(`
      CREATE TABLE task_instances (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        template_id uuid NULL,
        generated_from_task_id uuid NULL,
        title varchar(200) NOT NULL,
        description text NOT NULL DEFAULT '',
        priority text NOT NULL DEFAULT 'medium',
        due_date timestamptz(3) NULL,
        estimated_duration integer NULL,
        focus_time_seconds integer NOT NULL DEFAULT 0,
        completed boolean NOT NULL DEFAULT false,
        completed_at timestamptz(3) NULL,
        completed_by text NULL,
        stats_counted boolean NOT NULL DEFAULT false,
        hidden boolean NOT NULL DEFAULT false,
        archived boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_task_instances PRIMARY KEY (id),
        CONSTRAINT uq_task_instances_generated_from_task_id UNIQUE (generated_from_task_id),
        CONSTRAINT fk_task_instances_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_task_instances_template_id FOREIGN KEY (template_id)
          REFERENCES task_templates (id) ON DELETE SET NULL,
        -- backstop only: the API applies the full Unicode whitespace rule
        CONSTRAINT chk_task_instances_title CHECK (char_length(title) >= 1 AND btrim(title, E' \\t\\n\\r\\f') <> ''),
        CONSTRAINT chk_task_instances_priority CHECK (priority IN ('low', 'medium', 'high')),
        CONSTRAINT chk_task_instances_estimated_duration CHECK (estimated_duration BETWEEN 1 AND 720),
        CONSTRAINT chk_task_instances_focus_time_seconds CHECK (focus_time_seconds >= 0),
        CONSTRAINT chk_task_instances_completed_by CHECK (completed_by IN ('manual', 'auto', 'force')),
        CONSTRAINT chk_task_instances_version CHECK (version >= 1),
        CONSTRAINT chk_task_instances_completed_at CHECK (completed = (completed_at IS NOT NULL)),
        CONSTRAINT chk_task_instances_completed_by_set CHECK (completed = (completed_by IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_task_instances_user_id_created_at ON task_instances (user_id, created_at DESC)`,
    );
    await queryRunner.query(`CREATE INDEX idx_task_instances_user_id_completed ON task_instances (user_id, completed)`);
    await queryRunner.query(`
      CREATE INDEX idx_task_instances_user_id_created_at_visible ON task_instances (user_id, created_at)
        WHERE hidden = false AND archived = false`);
    await queryRunner.query(`
      CREATE INDEX idx_task_instances_user_id_due_date_open ON task_instances (user_id, due_date)
        WHERE completed = false AND due_date IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX idx_task_instances_template_id ON task_instances (template_id)`);
    await queryRunner.query(
      `CREATE INDEX idx_task_instances_user_id_priority_due_date ON task_instances (user_id, priority, due_date)`,
    );

    // §5 subtasks
    await queryRunner.query(`
      CREATE TABLE subtasks (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL,
        title varchar(200) NOT NULL,
        completed boolean NOT NULL DEFAULT false,
        completed_at timestamptz(3) NULL,
        order_index integer NOT NULL,
        source text NOT NULL DEFAULT 'user',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_subtasks PRIMARY KEY (id),
        -- deferred so a reorder can swap order_index values within one transaction
        CONSTRAINT uq_subtasks_task_id_order_index UNIQUE (task_id, order_index) DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT fk_subtasks_task_id FOREIGN KEY (task_id) REFERENCES task_instances (id) ON DELETE CASCADE,
        CONSTRAINT chk_subtasks_title CHECK (char_length(title) >= 1),
        CONSTRAINT chk_subtasks_order_index CHECK (order_index >= 0),
        CONSTRAINT chk_subtasks_source CHECK (source IN ('user', 'ai')),
        CONSTRAINT chk_subtasks_completed_at CHECK (completed = (completed_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX idx_subtasks_task_id ON subtasks (task_id)`);

    // §6 reminders
    await queryRunner.query(`
      CREATE TABLE reminders (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        task_id uuid NOT NULL,
        user_id uuid NOT NULL,
        type text NOT NULL,
        offset_minutes integer NULL,
        scheduled_at timestamptz(3) NOT NULL,
        method text NOT NULL DEFAULT 'in_app',
        fired boolean NOT NULL DEFAULT false,
        fired_at timestamptz(3) NULL,
        skipped boolean NOT NULL DEFAULT false,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_reminders PRIMARY KEY (id),
        CONSTRAINT fk_reminders_task_id FOREIGN KEY (task_id) REFERENCES task_instances (id) ON DELETE CASCADE,
        CONSTRAINT fk_reminders_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_reminders_type CHECK (type IN ('before', 'after', 'absolute')),
        CONSTRAINT chk_reminders_offset_minutes CHECK (
          (type = 'absolute' AND offset_minutes IS NULL)
          OR (type IN ('before', 'after') AND offset_minutes BETWEEN 1 AND 43200)
        ),
        CONSTRAINT chk_reminders_method CHECK (method IN ('push', 'in_app'))
      )`);
    await queryRunner.query(`CREATE INDEX idx_reminders_task_id ON reminders (task_id)`);
    await queryRunner.query(`CREATE INDEX idx_reminders_user_id ON reminders (user_id)`);
    await queryRunner.query(
      `CREATE INDEX idx_reminders_scheduled_at_pending ON reminders (scheduled_at) WHERE fired = false`,
    );

    // §7 notes
    await queryRunner.query(`
      CREATE TABLE notes (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        content varchar(2000) NOT NULL,
        archived boolean NOT NULL DEFAULT false,
        voice_url text NULL,
        voice_duration_seconds integer NULL,
        transcription_status text NULL,
        transcription_text text NULL,
        converted_task_id uuid NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_notes PRIMARY KEY (id),
        CONSTRAINT fk_notes_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_notes_content CHECK (char_length(content) >= 1),
        CONSTRAINT chk_notes_voice_duration_seconds CHECK (voice_duration_seconds BETWEEN 1 AND 300),
        CONSTRAINT chk_notes_transcription_status CHECK (transcription_status IN ('pending', 'completed', 'failed'))
      )`);
    await queryRunner.query(`CREATE INDEX idx_notes_user_id_created_at ON notes (user_id, created_at DESC)`);
    await queryRunner.query(`
      CREATE INDEX idx_notes_user_id_created_at_unarchived ON notes (user_id, created_at) WHERE archived = false`);

    // §8 focus_sessions
    await queryRunner.query(`
      CREATE TABLE focus_sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        task_id uuid NOT NULL,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        ended_at timestamptz(3) NULL,
        duration_seconds integer NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_focus_sessions PRIMARY KEY (id),
        CONSTRAINT fk_focus_sessions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_focus_sessions_task_id FOREIGN KEY (task_id) REFERENCES task_instances (id) ON DELETE CASCADE,
        CONSTRAINT chk_focus_sessions_duration_seconds CHECK (duration_seconds BETWEEN 0 AND 43200)
      )`);
    // one active session per user
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_focus_sessions_user_id_active ON focus_sessions (user_id) WHERE ended_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX idx_focus_sessions_task_id ON focus_sessions (task_id)`);

    // §9 deletion_tombstones
    await queryRunner.query(`
      CREATE TABLE deletion_tombstones (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        entity_type text NOT NULL,
        entity_id uuid NOT NULL,
        entity_data jsonb NOT NULL,
        deleted_at timestamptz(3) NOT NULL DEFAULT now(),
        recoverable_until timestamptz(3) NOT NULL,
        CONSTRAINT pk_deletion_tombstones PRIMARY KEY (id),
        CONSTRAINT fk_deletion_tombstones_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_deletion_tombstones_entity_type CHECK (entity_type IN ('task', 'note'))
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_deletion_tombstones_user_id_deleted_at ON deletion_tombstones (user_id, deleted_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_deletion_tombstones_recoverable_until ON deletion_tombstones (recoverable_until)`,
    );

    // §10 achievement_definitions
    await queryRunner.query(`
      CREATE TABLE achievement_definitions (
        id varchar(32) NOT NULL,
        name text NOT NULL,
        description text NOT NULL,
        category text NOT NULL,
        threshold integer NOT NULL,
        perk_type text NULL,
        perk_value integer NULL,
        CONSTRAINT pk_achievement_definitions PRIMARY KEY (id),
        CONSTRAINT chk_achievement_definitions_category CHECK (category IN ('tasks', 'streaks', 'focus', 'notes')),
        CONSTRAINT chk_achievement_definitions_threshold CHECK (threshold > 0),
        CONSTRAINT chk_achievement_definitions_perk_type CHECK (perk_type IN ('max_tasks', 'max_notes', 'daily_credits')),
        CONSTRAINT chk_achievement_definitions_perk_value CHECK (perk_value > 0),
        CONSTRAINT chk_achievement_definitions_perk CHECK ((perk_type IS NULL) = (perk_value IS NULL))
      )`);
    // docs/rules.md §4, in catalogue order
    await queryRunner.query(`
      INSERT INTO achievement_definitions (id, name, description, category, threshold, perk_type, perk_value) VALUES
        ('tasks_5', 'Task Starter', 'Complete 5 tasks', 'tasks', 5, 'max_tasks', 15),
        ('tasks_25', 'Task Master', 'Complete 25 tasks', 'tasks', 25, 'max_tasks', 25),
        ('tasks_100', 'Centurion', 'Complete 100 tasks', 'tasks', 100, 'max_tasks', 50),
        ('streak_7', 'Week Warrior', 'Maintain a 7-day streak', 'streaks', 7, 'daily_credits', 2),
        ('streak_30', 'Monthly Master', 'Maintain a 30-day streak', 'streaks', 30, 'daily_credits', 5),
        ('focus_10', 'Focus Initiate', 'Complete 10 tasks with at least 50% of their estimate in focus', 'focus', 10, 'max_notes', 5),
        ('notes_10', 'Note Taker', 'Convert 10 notes to tasks', 'notes', 10, 'max_notes', 5)`);

    // §11 user_achievement_states
    await queryRunner.query(`
      CREATE TABLE user_achievement_states (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        lifetime_tasks_completed integer NOT NULL DEFAULT 0,
        current_streak integer NOT NULL DEFAULT 0,
        longest_streak integer NOT NULL DEFAULT 0,
        last_completion_date date NULL,
        focus_completions integer NOT NULL DEFAULT 0,
        notes_converted integer NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_achievement_states PRIMARY KEY (id),
        CONSTRAINT uq_user_achievement_states_user_id UNIQUE (user_id),
        CONSTRAINT fk_user_achievement_states_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_user_achievement_states_counters CHECK (
          lifetime_tasks_completed >= 0 AND current_streak >= 0 AND longest_streak >= 0
          AND focus_completions >= 0 AND notes_converted >= 0
        )
      )`);

    // §12 user_achievements
    await queryRunner.query(`
      CREATE TABLE user_achievements (
        user_id uuid NOT NULL,
        achievement_id varchar(32) NOT NULL,
        unlocked_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_user_achievements PRIMARY KEY (user_id, achievement_id),
        CONSTRAINT fk_user_achievements_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_user_achievements_achievement_id FOREIGN KEY (achievement_id)
          REFERENCES achievement_definitions (id)
      )`);

    // §13 ai_credit_ledger
    await queryRunner.query(`
      CREATE TABLE ai_credit_ledger (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        credit_type text NOT NULL,
        operation text NOT NULL,
        amount integer NOT NULL,
        consumed integer NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'committed',
        balance_after integer NOT NULL,
        expires_at timestamptz(3) NULL,
        expired boolean NOT NULL DEFAULT false,
        grant_date date NULL,
        source_id uuid NULL,
        operation_ref varchar(200) NULL,
        reservation_id uuid NULL,
        description varchar(200) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_ai_credit_ledger PRIMARY KEY (id),
        CONSTRAINT fk_ai_credit_ledger_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_ai_credit_ledger_source_id FOREIGN KEY (source_id)
          REFERENCES ai_credit_ledger (id) ON DELETE SET NULL,
        CONSTRAINT chk_ai_credit_ledger_credit_type CHECK (credit_type IN ('kickstart', 'daily', 'subscription', 'purchased')),
        CONSTRAINT chk_ai_credit_ledger_operation CHECK (operation IN ('grant', 'consume', 'expire', 'carryover')),
        CONSTRAINT chk_ai_credit_ledger_status CHECK (status IN ('pending', 'committed')),
        -- positive for grants, negative otherwise (so never 0)
        CONSTRAINT chk_ai_credit_ledger_amount CHECK (
          (operation = 'grant' AND amount > 0) OR (operation <> 'grant' AND amount < 0)
        ),
        -- only grant lots carry consumption
        CONSTRAINT chk_ai_credit_ledger_consumed CHECK (
          (operation = 'grant' AND consumed >= 0 AND consumed <= amount) OR (operation <> 'grant' AND consumed = 0)
        ),
        CONSTRAINT chk_ai_credit_ledger_balance_after CHECK (balance_after >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_ai_credit_ledger_user_id_created_at ON ai_credit_ledger (user_id, created_at DESC)`,
    );
    await queryRunner.query(`
      CREATE INDEX idx_ai_credit_ledger_open_lots ON ai_credit_ledger (user_id, credit_type, created_at)
        WHERE operation = 'grant' AND expired = false AND consumed < amount`);
    // one daily lot per user per day
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ai_credit_ledger_daily_grant ON ai_credit_ledger (user_id, grant_date)
        WHERE credit_type = 'daily' AND operation = 'grant'`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ai_credit_ledger_kickstart_grant ON ai_credit_ledger (user_id)
        WHERE credit_type = 'kickstart' AND operation = 'grant'`);
    // one grant per provider payment
    await queryRunner.query(`
      CREATE UNIQUE INDEX uq_ai_credit_ledger_payment_grant ON ai_credit_ledger (operation_ref)
        WHERE operation = 'grant' AND credit_type IN ('subscription', 'purchased')`);
    await queryRunner.query(`
      CREATE INDEX idx_ai_credit_ledger_pending ON ai_credit_ledger (status, created_at) WHERE status = 'pending'`);

    // §14 subscriptions
    await queryRunner.query(`
      CREATE TABLE subscriptions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        checkout_subscription_id text NOT NULL,
        status text NOT NULL,
        current_period_start timestamptz(3) NOT NULL,
        current_period_end timestamptz(3) NOT NULL,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        cancelled_at timestamptz(3) NULL,
        grace_period_end timestamptz(3) NULL,
        grace_warning_sent boolean NOT NULL DEFAULT false,
        failed_payment_count integer NOT NULL DEFAULT 0,
        last_payment_at timestamptz(3) NULL,
        last_failed_payment_at timestamptz(3) NULL,
        payment_instrument_id text NULL,
        last_payment_id text NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_subscriptions PRIMARY KEY (id),
        CONSTRAINT uq_subscriptions_user_id UNIQUE (user_id),
        CONSTRAINT uq_subscriptions_checkout_subscription_id UNIQUE (checkout_subscription_id),
        CONSTRAINT fk_subscriptions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_subscriptions_status CHECK (status IN ('active', 'past_due', 'grace', 'cancelled', 'expired')),
        CONSTRAINT chk_subscriptions_failed_payment_count CHECK (failed_payment_count >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX idx_subscriptions_status ON subscriptions (status)`);
    await queryRunner.query(
      `CREATE INDEX idx_subscriptions_status_grace_period_end ON subscriptions (status, grace_period_end)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_subscriptions_status_current_period_end ON subscriptions (status, current_period_end)`,
    );

    // §14 subscription_payments
    await queryRunner.query(`
      CREATE TABLE subscription_payments (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        subscription_id uuid NOT NULL,
        user_id uuid NOT NULL,
        payment_id text NOT NULL,
        outcome text NOT NULL,
        reported_by text NOT NULL,
        period_start timestamptz(3) NULL,
        period_end timestamptz(3) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_subscription_payments PRIMARY KEY (id),
        CONSTRAINT uq_subscription_payments_payment_id UNIQUE (payment_id),
        CONSTRAINT fk_subscription_payments_subscription_id FOREIGN KEY (subscription_id)
          REFERENCES subscriptions (id) ON DELETE CASCADE,
        CONSTRAINT fk_subscription_payments_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_subscription_payments_outcome CHECK (outcome IN ('captured', 'declined')),
        CONSTRAINT chk_subscription_payments_reported_by CHECK (reported_by IN ('webhook', 'renewal_job', 'dev_login'))
      )`);

    // §15 payment_sessions
    await queryRunner.query(`
      CREATE TABLE payment_sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        purpose text NOT NULL,
        credits integer NULL,
        amount_cents integer NOT NULL,
        currency char(3) NOT NULL DEFAULT 'USD',
        provider_session_id text NULL,
        checkout_url text NULL,
        status text NOT NULL DEFAULT 'pending',
        expires_at timestamptz(3) NOT NULL,
        completed_at timestamptz(3) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_payment_sessions PRIMARY KEY (id),
        CONSTRAINT uq_payment_sessions_provider_session_id UNIQUE (provider_session_id),
        CONSTRAINT fk_payment_sessions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_payment_sessions_purpose CHECK (purpose IN ('pro_subscription', 'credit_purchase')),
        CONSTRAINT chk_payment_sessions_credits CHECK (credits BETWEEN 1 AND 500),
        CONSTRAINT chk_payment_sessions_amount_cents CHECK (amount_cents >= 0),
        CONSTRAINT chk_payment_sessions_status CHECK (status IN ('pending', 'completed', 'failed', 'expired'))
      )`);

    // §16 webhook_events
    await queryRunner.query(`
      CREATE TABLE webhook_events (
        event_id text NOT NULL,
        event_type varchar(100) NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        processed_at timestamptz(3) NOT NULL DEFAULT now(),
        outcome text NOT NULL,
        reason varchar(100) NULL,
        user_id uuid NULL,
        payload jsonb NOT NULL,
        CONSTRAINT pk_webhook_events PRIMARY KEY (event_id),
        CONSTRAINT chk_webhook_events_outcome CHECK (outcome IN ('processed', 'ignored'))
      )`);

    // §17 notifications
    await queryRunner.query(`
      CREATE TABLE notifications (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        type text NOT NULL,
        title varchar(100) NOT NULL,
        body varchar(500) NOT NULL,
        action_url varchar(500) NULL,
        task_id uuid NULL,
        read boolean NOT NULL DEFAULT false,
        read_at timestamptz(3) NULL,
        source_ref varchar(200) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_notifications PRIMARY KEY (id),
        CONSTRAINT uq_notifications_source_ref UNIQUE (source_ref),
        CONSTRAINT fk_notifications_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_notifications_type CHECK (type IN ('reminder', 'achievement', 'subscription', 'system'))
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_notifications_user_id_created_at ON notifications (user_id, created_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_notifications_user_id_unread ON notifications (user_id) WHERE read = false`,
    );

    // §18 push_subscriptions
    await queryRunner.query(`
      CREATE TABLE push_subscriptions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        endpoint text NOT NULL,
        p256dh_key text NOT NULL,
        auth_key text NOT NULL,
        user_agent varchar(512) NULL,
        failure_count integer NOT NULL DEFAULT 0,
        last_used_at timestamptz(3) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_push_subscriptions PRIMARY KEY (id),
        CONSTRAINT uq_push_subscriptions_endpoint UNIQUE (endpoint),
        CONSTRAINT fk_push_subscriptions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_push_subscriptions_failure_count CHECK (failure_count >= 0)
      )`);
    await queryRunner.query(`CREATE INDEX idx_push_subscriptions_user_id ON push_subscriptions (user_id)`);

    // §19 voice_sessions
    await queryRunner.query(`
      CREATE TABLE voice_sessions (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        status text NOT NULL,
        end_reason text NULL,
        language varchar(16) NOT NULL DEFAULT 'en',
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        ended_at timestamptz(3) NULL,
        duration_seconds integer NOT NULL DEFAULT 0,
        credits_used integer NOT NULL DEFAULT 0,
        transcript text NOT NULL DEFAULT '',
        error_code varchar(64) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_voice_sessions PRIMARY KEY (id),
        CONSTRAINT fk_voice_sessions_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_voice_sessions_status CHECK (status IN ('active', 'completed', 'aborted', 'failed')),
        CONSTRAINT chk_voice_sessions_end_reason CHECK (
          end_reason IN ('end_stream', 'max_duration', 'insufficient_credits', 'idle', 'disconnect', 'provider_error')
        ),
        CONSTRAINT chk_voice_sessions_duration_seconds CHECK (duration_seconds BETWEEN 0 AND 300),
        CONSTRAINT chk_voice_sessions_credits_used CHECK (credits_used >= 0)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_voice_sessions_user_id_active ON voice_sessions (user_id) WHERE status = 'active'`,
    );

    // §20 activity_logs
    await queryRunner.query(`
      CREATE TABLE activity_logs (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        entity_type text NOT NULL,
        entity_id varchar(64) NOT NULL,
        action varchar(64) NOT NULL,
        source text NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        request_id varchar(128) NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_activity_logs PRIMARY KEY (id),
        CONSTRAINT fk_activity_logs_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_activity_logs_entity_type CHECK (entity_type IN (
          'task', 'subtask', 'note', 'reminder', 'template', 'subscription', 'achievement', 'ai_chat', 'credit',
          'focus_session', 'voice_session', 'notification', 'user'
        )),
        CONSTRAINT chk_activity_logs_source CHECK (source IN ('user', 'ai', 'system'))
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_activity_logs_user_id_created_at ON activity_logs (user_id, created_at DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX idx_activity_logs_user_id_entity ON activity_logs (user_id, entity_type, entity_id)`,
    );
    await queryRunner.query(`CREATE INDEX idx_activity_logs_created_at ON activity_logs (created_at)`);
    await queryRunner.query(`CREATE INDEX idx_activity_logs_action_created_at ON activity_logs (action, created_at)`);

    // §21 idempotency_keys
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        key varchar(255) NOT NULL,
        request_method varchar(10) NOT NULL,
        request_path varchar(500) NOT NULL,
        request_hash char(64) NOT NULL,
        state text NOT NULL,
        locked_until timestamptz(3) NULL,
        response_status integer NULL,
        response_headers jsonb NULL,
        response_body jsonb NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        CONSTRAINT pk_idempotency_keys PRIMARY KEY (id),
        CONSTRAINT uq_idempotency_keys_user_id_key UNIQUE (user_id, key),
        CONSTRAINT fk_idempotency_keys_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_idempotency_keys_state CHECK (state IN ('in_progress', 'completed'))
      )`);
    await queryRunner.query(`CREATE INDEX idx_idempotency_keys_expires_at ON idempotency_keys (expires_at)`);

    // §22 job_queue is kept by pg-boss in its own schema.

    // §23 job_runner_heartbeats
    await queryRunner.query(`
      CREATE TABLE job_runner_heartbeats (
        runner_id varchar(100) NOT NULL,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT pk_job_runner_heartbeats PRIMARY KEY (runner_id)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const tables = [
      'job_runner_heartbeats',
      'idempotency_keys',
      'activity_logs',
      'voice_sessions',
      'push_subscriptions',
      'notifications',
      'webhook_events',
      'payment_sessions',
      'subscription_payments',
      'subscriptions',
      'ai_credit_ledger',
      'user_achievements',
      'user_achievement_states',
      'achievement_definitions',
      'deletion_tombstones',
      'focus_sessions',
      'notes',
      'reminders',
      'subtasks',
      'task_instances',
      'task_templates',
      'refresh_tokens',
      'users',
    ];
    for (const table of tables) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
