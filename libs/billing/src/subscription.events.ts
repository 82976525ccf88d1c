import { defineEvent } from '@app/core/events/domain-event';
import type { PaymentSessionPurpose } from '@app/core/database/enums';
import type { ExpiryReason } from './subscription-rules';

export interface SubscriptionPaidPayload {
  subscription_id: string;
  /** ISO timestamp. */
  period_end: string;
  payment_id: string;
}

export interface SubscriptionPaymentFailedPayload {
  subscription_id: string;
  failed_payment_count: number;
  payment_id: string;
}

export interface SubscriptionGracePayload {
  subscription_id: string;
  /** ISO timestamp. */
  grace_period_end: string;
}

export interface SubscriptionCancelledPayload {
  subscription_id: string;
  /** ISO timestamp: Pro until then. */
  access_until: string;
  initiated_by: 'user' | 'provider';
}

export interface SubscriptionResumedPayload {
  subscription_id: string;
  /** ISO timestamp. */
  current_period_end: string;
}

export interface SubscriptionExpiredPayload {
  subscription_id: string;
  reason: ExpiryReason;
}

export interface PaymentSessionCreatedPayload {
  payment_session_id: string;
  purpose: PaymentSessionPurpose;
  credits: number | null;
}

// Activity metadata never carries payment data (docs/rules.md §12): provider payment ids stay out.

export const SubscriptionActivated = defineEvent<SubscriptionPaidPayload>('subscription.activated', (payload) => ({
  entityType: 'subscription',
  entityId: payload.subscription_id,
  action: 'subscription_activated',
  metadata: { period_end: payload.period_end },
}));

export const SubscriptionRenewed = defineEvent<SubscriptionPaidPayload>('subscription.renewed', (payload) => ({
  entityType: 'subscription',
  entityId: payload.subscription_id,
  action: 'subscription_renewed',
  metadata: { period_end: payload.period_end },
}));

export const SubscriptionPaymentFailed = defineEvent<SubscriptionPaymentFailedPayload>(
  'subscription.payment_failed',
  (payload) => ({
    entityType: 'subscription',
    entityId: payload.subscription_id,
    action: 'payment_failed',
    metadata: { failed_payment_count: payload.failed_payment_count },
  }),
);

export const SubscriptionGraceStarted = defineEvent<SubscriptionGracePayload>(
  'subscription.grace_started',
  (payload) => ({
    entityType: 'subscription',
    entityId: payload.subscription_id,
    action: 'grace_started',
    metadata: { grace_period_end: payload.grace_period_end },
  }),
);

export const SubscriptionGraceWarning = defineEvent<SubscriptionGracePayload>(
  'subscription.grace_warning',
  (payload) => ({
    entityType: 'subscription',
    entityId: payload.subscription_id,
    action: 'grace_warning_sent',
    metadata: { grace_period_end: payload.grace_period_end },
  }),
);

export const SubscriptionCancelled = defineEvent<SubscriptionCancelledPayload>('subscription.cancelled', (payload) => ({
  entityType: 'subscription',
  entityId: payload.subscription_id,
  action: 'subscription_cancelled',
  metadata: { access_until: payload.access_until, initiated_by: payload.initiated_by },
}));

export const SubscriptionResumed = defineEvent<SubscriptionResumedPayload>('subscription.resumed', (payload) => ({
  entityType: 'subscription',
  entityId: payload.subscription_id,
  action: 'subscription_resumed',
  metadata: { current_period_end: payload.current_period_end },
}));

export const SubscriptionExpired = defineEvent<SubscriptionExpiredPayload>('subscription.expired', (payload) => ({
  entityType: 'subscription',
  entityId: payload.subscription_id,
  action: 'subscription_expired',
  metadata: { reason: payload.reason },
}));

/** `entity_id` is the payment session id (docs/data-model.md §20). */
export const PaymentSessionCreated = defineEvent<PaymentSessionCreatedPayload>(
  'payment.session_created',
  (payload) => ({
    entityType: 'subscription',
    entityId: payload.payment_session_id,
    action: payload.purpose === 'pro_subscription' ? 'checkout_created' : 'credit_purchase_created',
    metadata: { purpose: payload.purpose, credits: payload.credits },
  }),
);
