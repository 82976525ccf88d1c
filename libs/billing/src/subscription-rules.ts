import type { SubscriptionStatus, UserTier } from '@app/core/database/enums';

export const PRO_PRICE_CENTS = 900;
export const CREDIT_PRICE_CENTS = 10;
export const CURRENCY = 'USD';
/** Consecutive declines that start the grace period (docs/rules.md §10). */
export const FAILURES_BEFORE_GRACE = 3;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
export const GRACE_PERIOD_MS = 3 * DAY_MS;
export const GRACE_WARNING_MS = DAY_MS;
export const LAPSE_AFTER_MS = 3 * DAY_MS;
export const RENEWAL_LEAD_MS = HOUR_MS;
export const PAYMENT_SESSION_TTL_MS = DAY_MS;

export interface Period {
  start: Date;
  end: Date;
}

/** The subscription fields the state machine of docs/data-model.md §14 works on. */
export interface SubscriptionState {
  status: SubscriptionStatus;
  failedPaymentCount: number;
  gracePeriodEnd: Date | null;
  currentPeriodEnd: Date;
}

/** "+1 calendar month": same time of day, clamped to the target month's last day (docs/rules.md §10). */
export function addCalendarMonth(start: Date): Date {
  const month = start.getUTCMonth() + 1;
  const year = start.getUTCFullYear() + Math.floor(month / 12);
  const targetMonth = month % 12;
  const lastDay = new Date(Date.UTC(year, targetMonth + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      year,
      targetMonth,
      Math.min(start.getUTCDate(), lastDay),
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
      start.getUTCMilliseconds(),
    ),
  );
}

/** Pro while a subscription is active, past due, in grace or cancelled but not yet expired. */
export function tierForStatus(status: SubscriptionStatus | null): UserTier {
  return status === null || status === 'expired' ? 'free' : 'pro';
}

/** A capture with no subscription row, or an expired one, is an activation; otherwise a renewal. */
export function isActivation(status: SubscriptionStatus | null): boolean {
  return status === null || status === 'expired';
}

/**
 * The period a captured payment starts: the provider's period when it sent one, else one
 * calendar month from the capture time (activation) or from the later of the capture time and
 * the stored period end (renewal: a payment taken early never loses days).
 */
export function capturedPeriod(
  activation: boolean,
  capturedAt: Date,
  storedPeriodEnd: Date | null,
  provided: Period | null,
): Period {
  if (provided) return provided;
  const start =
    activation || !storedPeriodEnd || storedPeriodEnd.getTime() < capturedAt.getTime() ? capturedAt : storedPeriodEnd;
  return { start, end: addCalendarMonth(start) };
}

export interface DeclineOutcome {
  status: SubscriptionStatus;
  failedPaymentCount: number;
  gracePeriodEnd: Date | null;
  /** `grace_started` exactly when this decline started the grace period. */
  event: 'payment_failed' | 'grace_started';
}

/** The decline rule: past due for 1–2 failures, grace from the 3rd; declines in grace only count. */
export function applyDecline(state: SubscriptionState, now: Date): DeclineOutcome {
  const failedPaymentCount = state.failedPaymentCount + 1;
  if (state.status === 'grace') {
    return { status: 'grace', failedPaymentCount, gracePeriodEnd: state.gracePeriodEnd, event: 'payment_failed' };
  }
  if (failedPaymentCount >= FAILURES_BEFORE_GRACE) {
    return {
      status: 'grace',
      failedPaymentCount,
      gracePeriodEnd: new Date(now.getTime() + GRACE_PERIOD_MS),
      event: 'grace_started',
    };
  }
  return { status: 'past_due', failedPaymentCount, gracePeriodEnd: state.gracePeriodEnd, event: 'payment_failed' };
}

/**
 * The time a provider event counts at (docs/billing-events.md §1): its `created_on`, else the
 * receipt time; a time after receipt counts as the receipt time.
 */
export function eventTime(createdOn: Date | null, receivedAt: Date): Date {
  return createdOn && createdOn.getTime() < receivedAt.getTime() ? createdOn : receivedAt;
}

/** A decline or cancellation older than the latest event applied to the subscription (docs/billing-events.md §3). */
export function isStaleEvent(lastEventAt: Date | null, eventAt: Date): boolean {
  return lastEventAt !== null && eventAt.getTime() < lastEventAt.getTime();
}

/** The stored event time only moves forward (docs/billing-events.md §2). */
export function latestEventTime(lastEventAt: Date | null, eventAt: Date): Date {
  return lastEventAt && lastEventAt.getTime() > eventAt.getTime() ? lastEventAt : eventAt;
}

/** Declines and cancellations change nothing on a subscription that is already cancelled or expired. */
export function isClosed(status: SubscriptionStatus): boolean {
  return status === 'cancelled' || status === 'expired';
}

export function canCancel(status: SubscriptionStatus): boolean {
  return status === 'active' || status === 'past_due' || status === 'grace';
}

/** Resume undoes a cancellation while its period lasts. */
export function canResume(state: SubscriptionState, now: Date): boolean {
  return state.status === 'cancelled' && state.currentPeriodEnd.getTime() > now.getTime();
}

/** The status a resumed subscription returns to, given the failures of its period. */
export function resumedStatus(failedPaymentCount: number): SubscriptionStatus {
  if (failedPaymentCount >= FAILURES_BEFORE_GRACE) return 'grace';
  return failedPaymentCount > 0 ? 'past_due' : 'active';
}

/** Checkout is refused (409 ALREADY_PRO) while active, or cancelled with time left (resume instead). */
export function blocksCheckout(state: SubscriptionState | null, now: Date): boolean {
  if (!state) return false;
  return state.status === 'active' || canResume(state, now);
}

export const RENEWAL_KEY_PREFIX = 'renew-';

/** `renew-<subscription>-<period end, Unix seconds>-<attempt>`: the same for every repeat of one attempt. */
export function renewalKey(subscriptionId: string, currentPeriodEnd: Date, failedPaymentCount: number): string {
  return `${RENEWAL_KEY_PREFIX}${subscriptionId}-${Math.floor(currentPeriodEnd.getTime() / 1000)}-${failedPaymentCount + 1}`;
}

/** Start of the UTC calendar month of `now`. */
export function utcMonthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

export type ExpiryReason = 'grace' | 'cancelled' | 'lapsed';

/** Time-based expiry (docs/jobs.md §4 `subscription_check`, steps 1–3), or null. */
export function expiryReason(state: SubscriptionState, now: Date): ExpiryReason | null {
  const at = now.getTime();
  if (state.status === 'grace' && state.gracePeriodEnd && state.gracePeriodEnd.getTime() <= at) return 'grace';
  if (state.status === 'cancelled' && state.currentPeriodEnd.getTime() <= at) return 'cancelled';
  if (
    (state.status === 'active' || state.status === 'past_due') &&
    state.currentPeriodEnd.getTime() + LAPSE_AFTER_MS <= at
  ) {
    return 'lapsed';
  }
  return null;
}

/** Once, when less than 24 h of grace remain. */
export function needsGraceWarning(state: SubscriptionState & { graceWarningSent: boolean }, now: Date): boolean {
  return (
    state.status === 'grace' &&
    !state.graceWarningSent &&
    state.gracePeriodEnd !== null &&
    state.gracePeriodEnd.getTime() - now.getTime() < GRACE_WARNING_MS
  );
}

/** Charged by `subscription_renew`: active or past due, not cancelled, period ending within the lead time. */
export function isRenewalDue(state: SubscriptionState & { cancelAtPeriodEnd: boolean }, now: Date): boolean {
  return (
    (state.status === 'active' || state.status === 'past_due') &&
    !state.cancelAtPeriodEnd &&
    state.currentPeriodEnd.getTime() <= now.getTime() + RENEWAL_LEAD_MS
  );
}
