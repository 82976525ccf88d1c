import { MigrationInterface, QueryRunner } from 'typeorm';

// Issue #18: no scheduled job may pay a cost per item that grows with a table.
// - The referencing side of every foreign key: deleting a referenced row (a refresh token, a
//   released reservation's lot reference, a user and all it cascades to) looks the referencing
//   rows up; without an index that is a sequential scan of the table per deleted row.
// - Partial indexes holding exactly the candidates of the jobs that used to scan whole tables:
//   daily lots awaiting expiry, streaks that may be broken (both led by the user id: the jobs walk
//   users in key ranges), refresh tokens by retention date,
//   pending payment sessions, and the retention columns of webhook events and voice sessions.
const INDEXES: Array<[name: string, definition: string]> = [
  ['idx_ai_credit_ledger_source_id', 'ai_credit_ledger (source_id)'],
  ['idx_refresh_tokens_replaced_by_id', 'refresh_tokens (replaced_by_id)'],
  ['idx_focus_sessions_user_id', 'focus_sessions (user_id)'],
  ['idx_payment_sessions_user_id', 'payment_sessions (user_id)'],
  ['idx_subscription_payments_subscription_id', 'subscription_payments (subscription_id)'],
  ['idx_subscription_payments_user_id', 'subscription_payments (user_id)'],
  ['idx_user_achievements_achievement_id', 'user_achievements (achievement_id)'],
  ['idx_voice_sessions_user_id', 'voice_sessions (user_id)'],
  [
    'idx_ai_credit_ledger_daily_unexpired',
    `ai_credit_ledger (user_id, expires_at) WHERE credit_type = 'daily' AND operation = 'grant' AND expired = false`,
  ],
  [
    'idx_user_achievement_states_streak',
    'user_achievement_states (user_id, last_completion_date) WHERE current_streak > 0',
  ],
  ['idx_refresh_tokens_expires_at', 'refresh_tokens (expires_at)'],
  ['idx_refresh_tokens_revoked_at', 'refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL'],
  ['idx_payment_sessions_pending_expires_at', `payment_sessions (expires_at) WHERE status = 'pending'`],
  ['idx_webhook_events_received_at', 'webhook_events (received_at)'],
  ['idx_voice_sessions_started_at', 'voice_sessions (started_at)'],
];

export class JobScanIndexes1768400000000 implements MigrationInterface {
  name = 'JobScanIndexes1768400000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name, definition] of INDEXES) await queryRunner.query(`CREATE INDEX ${name} ON ${definition}`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of [...INDEXES].reverse()) await queryRunner.query(`DROP INDEX ${name}`);
  }
}
