import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SubscriptionEntity, SubscriptionPaymentEntity } from '@app/core/database/entities';
import type { SubscriptionPaymentOutcome, SubscriptionPaymentReporter, UserTier } from '@app/core/database/enums';
import type { KeyRange } from '@app/core/jobs/key-ranges';
import type { ExpiryReason } from './subscription-rules';
import { GRACE_WARNING_MS, LAPSE_AFTER_MS, RENEWAL_LEAD_MS } from './subscription-rules';

export interface PaymentRecord {
  subscriptionId: string;
  userId: string;
  paymentId: string;
  outcome: SubscriptionPaymentOutcome;
  reportedBy: SubscriptionPaymentReporter;
  periodStart: Date | null;
  periodEnd: Date | null;
  now: Date;
}

@Injectable()
export class SubscriptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Locks the user row (the same lock the credit ledger takes), serialising every billing change
   * of one user. False when the user does not exist.
   */
  async lockUser(manager: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT id FROM users WHERE id = $1 FOR NO KEY UPDATE', [userId]);
    return rows.length > 0;
  }

  async userExists(manager: EntityManager, userId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT 1 FROM users WHERE id = $1', [userId]);
    return rows.length > 0;
  }

  async userTier(userId: string): Promise<UserTier | null> {
    const rows: Array<{ tier: UserTier }> = await this.dataSource.query('SELECT tier FROM users WHERE id = $1', [
      userId,
    ]);
    return rows[0]?.tier ?? null;
  }

  /** Tier is derived from the subscription (docs/rules.md §10); billing is its only writer. */
  async setTier(manager: EntityManager, userId: string, tier: UserTier, now: Date): Promise<void> {
    await manager.query('UPDATE users SET tier = $2, updated_at = $3 WHERE id = $1 AND tier <> $2', [
      userId,
      tier,
      now,
    ]);
  }

  findByUser(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<SubscriptionEntity | null> {
    return manager.findOne(SubscriptionEntity, {
      where: { userId },
      ...(lock ? { lock: { mode: 'pessimistic_write' } } : {}),
    });
  }

  findById(manager: EntityManager, id: string, lock = false): Promise<SubscriptionEntity | null> {
    return manager.findOne(SubscriptionEntity, {
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' } } : {}),
    });
  }

  findBySeriesId(manager: EntityManager, checkoutSubscriptionId: string): Promise<SubscriptionEntity | null> {
    return manager.findOne(SubscriptionEntity, { where: { checkoutSubscriptionId } });
  }

  save(manager: EntityManager, subscription: SubscriptionEntity): Promise<SubscriptionEntity> {
    return manager.save(SubscriptionEntity, subscription);
  }

  async paymentRecorded(manager: EntityManager, paymentId: string): Promise<boolean> {
    return (await manager.count(SubscriptionPaymentEntity, { where: { paymentId } })) > 0;
  }

  async recordPayment(manager: EntityManager, record: PaymentRecord): Promise<void> {
    await manager.insert(SubscriptionPaymentEntity, {
      subscriptionId: record.subscriptionId,
      userId: record.userId,
      paymentId: record.paymentId,
      outcome: record.outcome,
      reportedBy: record.reportedBy,
      periodStart: record.periodStart,
      periodEnd: record.periodEnd,
      createdAt: record.now,
    });
  }

  /** Stores the card found by a payment lookup, unless a later payment already changed things. */
  async setInstrument(subscriptionId: string, paymentId: string, instrumentId: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE subscriptions SET payment_instrument_id = $3, updated_at = $4
       WHERE id = $1 AND last_payment_id = $2 AND payment_instrument_id IS NULL`,
      [subscriptionId, paymentId, instrumentId, now],
    );
  }

  /** Ids of subscriptions a time-based expiry applies to (re-checked under lock by the caller). */
  /** Subscriptions `subscription_check` may touch (an upper bound that sets its batches). */
  async checkCandidateCount(manager: EntityManager): Promise<number> {
    const [row]: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM subscriptions WHERE status IN ('grace', 'cancelled', 'active', 'past_due')`,
    );
    return row.count;
  }

  /** The range's subscriptions that expire for `reason` at `now`, in user order (the lock order). */
  idsToExpire(manager: EntityManager, range: KeyRange, reason: ExpiryReason, now: Date): Promise<string[]> {
    switch (reason) {
      case 'grace':
        return this.idsOfUsers(manager, range, `status = 'grace' AND grace_period_end <= $3`, [now]);
      case 'cancelled':
        return this.idsOfUsers(manager, range, `status = 'cancelled' AND current_period_end <= $3`, [now]);
      case 'lapsed':
        return this.idsOfUsers(
          manager,
          range,
          `status IN ('active', 'past_due') AND current_period_end <= $3::timestamptz - make_interval(secs => $4)`,
          [now, LAPSE_AFTER_MS / 1000],
        );
    }
  }

  idsNeedingGraceWarning(manager: EntityManager, range: KeyRange, now: Date): Promise<string[]> {
    return this.idsOfUsers(
      manager,
      range,
      `status = 'grace' AND grace_warning_sent = false AND grace_period_end < $3::timestamptz + make_interval(secs => $4)`,
      [now, GRACE_WARNING_MS / 1000],
    );
  }

  private async idsOfUsers(
    manager: EntityManager,
    range: KeyRange,
    condition: string,
    params: unknown[],
  ): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM subscriptions
       WHERE user_id >= $1::uuid AND ($2::uuid IS NULL OR user_id < $2::uuid) AND ${condition}
       ORDER BY user_id, id`,
      [range.from, range.to, ...params],
    );
    return rows.map((row) => row.id);
  }

  /** Due renewals, oldest period end first (docs/jobs.md §4 `subscription_renew`). */
  idsDueForRenewal(now: Date): Promise<string[]> {
    return this.ids(
      `SELECT id FROM subscriptions
       WHERE status IN ('active', 'past_due') AND cancel_at_period_end = false
         AND current_period_end <= $1::timestamptz + make_interval(secs => $2)
         AND (payment_instrument_id IS NOT NULL OR (last_payment_id IS NOT NULL AND last_payment_id NOT LIKE 'dev\\_%'))
       ORDER BY current_period_end, id`,
      [now, RENEWAL_LEAD_MS / 1000],
    );
  }

  private async ids(sql: string, params: unknown[]): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(sql, params);
    return rows.map((row) => row.id);
  }
}
