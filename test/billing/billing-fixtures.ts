import { randomUUID } from 'node:crypto';
import { loginAs } from '../support/factories';
import { postWebhook, proCaptured } from '../support/fake-checkout';
import type { TestApp } from '../support/test-app';

export interface StoredSubscription {
  id: string;
  status: string;
  checkout_subscription_id: string;
  current_period_start: Date;
  current_period_end: Date;
  cancel_at_period_end: boolean;
  cancelled_at: Date | null;
  grace_period_end: Date | null;
  grace_warning_sent: boolean;
  failed_payment_count: number;
  payment_instrument_id: string | null;
  last_payment_id: string | null;
}

export async function subscriptionOf(t: TestApp, userId: string): Promise<StoredSubscription | undefined> {
  const rows: StoredSubscription[] = await t.dataSource.query(`SELECT * FROM subscriptions WHERE user_id = $1`, [
    userId,
  ]);
  return rows[0];
}

/** Moves a subscription's clock fields, as if time had passed (test setup only). */
export async function updateSubscription(t: TestApp, userId: string, fields: Record<string, unknown>): Promise<void> {
  const keys = Object.keys(fields);
  await t.dataSource.query(
    `UPDATE subscriptions SET ${keys.map((key, i) => `${key} = $${i + 2}`).join(', ')} WHERE user_id = $1`,
    [userId, ...keys.map((key) => fields[key])],
  );
}

export async function tierOf(t: TestApp, userId: string): Promise<string> {
  const rows: Array<{ tier: string }> = await t.dataSource.query(`SELECT tier FROM users WHERE id = $1`, [userId]);
  return rows[0].tier;
}

export async function grantsOf(
  t: TestApp,
  userId: string,
  creditType: string,
): Promise<Array<{ amount: number; consumed: number; operation_ref: string | null }>> {
  return t.dataSource.query(
    `SELECT amount, consumed, operation_ref FROM ai_credit_ledger
     WHERE user_id = $1 AND credit_type = $2 AND operation = 'grant' ORDER BY created_at, id`,
    [userId, creditType],
  );
}

export async function ledgerEntries(
  t: TestApp,
  userId: string,
  operation: string,
): Promise<Array<{ credit_type: string; amount: number }>> {
  return t.dataSource.query(
    `SELECT credit_type, amount FROM ai_credit_ledger WHERE user_id = $1 AND operation = $2 ORDER BY created_at, id`,
    [userId, operation],
  );
}

export async function notificationsOf(
  t: TestApp,
  userId: string,
): Promise<Array<{ type: string; title: string; body: string }>> {
  return t.dataSource.query(`SELECT type, title, body FROM notifications WHERE user_id = $1 ORDER BY created_at, id`, [
    userId,
  ]);
}

export async function activityOf(
  t: TestApp,
  userId: string,
  entityType = 'subscription',
): Promise<Array<{ action: string; source: string }>> {
  return t.dataSource.query(
    `SELECT action, source FROM activity_logs WHERE user_id = $1 AND entity_type = $2 ORDER BY created_at, id`,
    [userId, entityType],
  );
}

export async function webhookEventOf(
  t: TestApp,
  eventId: string,
): Promise<{ outcome: string; reason: string | null; user_id: string | null; event_type: string } | undefined> {
  const rows = await t.dataSource.query(
    `SELECT outcome, reason, user_id, event_type FROM webhook_events WHERE event_id = $1`,
    [eventId],
  );
  return rows[0];
}

export async function paymentsOf(
  t: TestApp,
  userId: string,
): Promise<Array<{ payment_id: string; outcome: string; reported_by: string }>> {
  return t.dataSource.query(
    `SELECT payment_id, outcome, reported_by FROM subscription_payments WHERE user_id = $1 ORDER BY created_at, id`,
    [userId],
  );
}

export interface RenewableSubscriber {
  userId: string;
  token: string;
  subscriptionId: string;
  firstPayment: string;
}

/** A Pro subscriber through the real first-payment webhook (card `src_<user id>`), period ending at `periodEnd`. */
export async function renewableSubscriber(
  t: TestApp,
  webhookSecret: string,
  periodEnd: Date,
): Promise<RenewableSubscriber> {
  const { accessToken, user } = await loginAs(t);
  const firstPayment = `pay_${randomUUID()}`;
  const res = await postWebhook(
    t,
    proCaptured(user.id, { paymentId: firstPayment, sourceId: `src_${user.id}` }),
    webhookSecret,
  );
  expect(res.body).toEqual({ status: 'ok', processed: true });
  await updateSubscription(t, user.id, { current_period_end: periodEnd });
  const stored = (await subscriptionOf(t, user.id))!;
  return { userId: user.id, token: accessToken, subscriptionId: stored.id, firstPayment };
}
