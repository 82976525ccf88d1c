import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CREDIT_PRICE_CENTS, CURRENCY, PRO_PRICE_CENTS } from '@app/billing/subscription-rules';

/** The statements of account deletion (docs/export-and-deletion.md), all inside the caller's transaction. */
@Injectable()
export class AccountDeletionRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Locks the user row; its email, or null when the user does not exist. */
  async lockUser(manager: EntityManager, userId: string): Promise<string | null> {
    const rows: Array<{ email: string }> = await manager.query(`SELECT email FROM users WHERE id = $1 FOR UPDATE`, [
      userId,
    ]);
    return rows[0]?.email ?? null;
  }

  /** The change-log triggers write nothing for the rest of the transaction (the cascade). */
  async suppressSyncLog(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT set_config('perpetua.sync_suppressed', 'on', true)`);
  }

  /**
   * Copies the user's captured payments into `retained_payment_records`, without any link to the
   * person: Pro payments (dev-login activations are not payments) and credit purchases.
   */
  async retainPayments(manager: EntityManager, userId: string, deletedAt: Date, retainUntil: Date): Promise<void> {
    await manager.query(
      `INSERT INTO retained_payment_records
         (payment_id, purpose, amount_cents, currency, credits, period_start, period_end, paid_at, account_deleted_at, retain_until)
       SELECT payment_id, 'pro_subscription', $4::int, $5::char(3), NULL::int, period_start, period_end, created_at,
              $2::timestamptz, $3::timestamptz
       FROM subscription_payments
       WHERE user_id = $1 AND outcome = 'captured' AND reported_by <> 'dev_login'
       UNION ALL
       SELECT substr(operation_ref, length('payment:') + 1), 'credit_purchase', amount * $6::int, $5::char(3), amount,
              NULL::timestamptz, NULL::timestamptz, created_at, $2::timestamptz, $3::timestamptz
       FROM ai_credit_ledger
       WHERE user_id = $1 AND operation = 'grant' AND credit_type = 'purchased' AND operation_ref LIKE 'payment:%'
       ON CONFLICT (payment_id) DO NOTHING`,
      [userId, deletedAt, retainUntil, PRO_PRICE_CENTS, CURRENCY, CREDIT_PRICE_CENTS],
    );
  }

  /**
   * Webhook audit rows stay until their 90-day purge (they deduplicate provider retries), but lose
   * the link to the user and every personal field: only ids, type, amount and currency remain.
   */
  async pseudonymizeWebhookEvents(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE webhook_events
       SET user_id = NULL,
           payload = jsonb_strip_nulls(jsonb_build_object(
             'id', payload->'id',
             'type', COALESCE(payload->'type', payload->'event_type'),
             'created_on', payload->'created_on',
             'data', jsonb_strip_nulls(jsonb_build_object(
               'id', payload->'data'->'id',
               'amount', payload->'data'->'amount',
               'currency', payload->'data'->'currency')),
             'redacted', true))
       WHERE user_id = $1 OR payload->'data'->'metadata'->>'user_id' = $1::text`,
      [userId],
    );
  }

  /** Deletes the user; every table with a user FK cascades. */
  async deleteUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM users WHERE id = $1`, [userId]);
  }

  /** `sync_changes` has no FK to users (its triggers may run inside a cascade). */
  async deleteSyncChanges(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`DELETE FROM sync_changes WHERE user_id = $1`, [userId]);
  }

  /** Retained payment records past their retention (the `data_export_cleanup` job). */
  async deleteExpiredPaymentRecords(now: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM retained_payment_records WHERE retain_until <= $1`,
      [now],
    );
    return count;
  }
}
