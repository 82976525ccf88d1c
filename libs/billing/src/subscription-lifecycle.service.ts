import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import { SubscriptionEntity } from '@app/core/database/entities';
import type { SubscriptionPaymentReporter } from '@app/core/database/enums';
import type { Transaction } from '@app/core/events/transaction';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import { CheckoutClient } from './checkout-client';
import { SubscriptionNotifier } from './subscription-notifier';
import {
  SubscriptionActivated,
  SubscriptionCancelled,
  SubscriptionExpired,
  SubscriptionGraceStarted,
  SubscriptionPaymentFailed,
  SubscriptionRenewed,
  SubscriptionResumed,
} from './subscription.events';
import {
  applyDecline,
  capturedPeriod,
  eventTime,
  ExpiryReason,
  isActivation,
  isClosed,
  isStaleEvent,
  latestEventTime,
  Period,
  resumedStatus,
} from './subscription-rules';
import { SubscriptionsRepository } from './subscriptions.repository';

/** A captured Pro payment, whoever reports it (webhook, renewal job, dev login). */
export interface CapturedPayment {
  userId: string;
  paymentId: string;
  /** Series id sent by the provider (`subscription_id`); a first activation falls back to the payment id. */
  seriesId: string | null;
  /** The card the payment used (`src_…`), when known. */
  instrumentId: string | null;
  capturedAt: Date;
  /** The provider's period, when it sent one. */
  period: Period | null;
  reportedBy: SubscriptionPaymentReporter;
  /**
   * A merchant-initiated renewal charge (the job's answer, or an event about it): it never undoes
   * a cancellation made while it was in flight (docs/billing-events.md §5).
   */
  renewalCharge: boolean;
  /** The clock of the processing (receipt time, job clock). */
  now: Date;
}

export type CaptureResult =
  { outcome: 'applied'; activation: boolean; subscription: SubscriptionEntity } | { outcome: 'duplicate' };

export type DeclineResult = 'applied' | 'duplicate' | 'stale' | 'unchanged';

/**
 * The subscription state machine of docs/rules.md §10 / docs/data-model.md §14. Every change runs in the
 * caller's transaction with the user row locked; each provider payment id applies at most once.
 */
@Injectable()
export class SubscriptionLifecycle {
  private readonly logger = new Logger(SubscriptionLifecycle.name);

  constructor(
    private readonly config: AppConfig,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly credits: CreditLedgerService,
    private readonly checkout: CheckoutClient,
    private readonly notifier: SubscriptionNotifier,
  ) {}

  /**
   * Activation (no row, or expired) or renewal (any other status): new period, failures and grace
   * cleared, Pro; carry-over (renewals only), the monthly grant keyed by payment, today's daily
   * lot raised; `subscription.activated` / `subscription.renewed` and its notification.
   */
  async applyCapture(tx: Transaction, payment: CapturedPayment): Promise<CaptureResult> {
    const { manager } = tx;
    await this.subscriptions.lockUser(manager, payment.userId);
    if (await this.subscriptions.paymentRecorded(manager, payment.paymentId)) return { outcome: 'duplicate' };
    const existing = await this.subscriptions.findByUser(payment.userId, manager, true);
    const activation = isActivation(existing?.status ?? null);
    const keepCancellation = payment.renewalCharge && existing?.status === 'cancelled';
    const period = capturedPeriod(activation, payment.capturedAt, existing?.currentPeriodEnd ?? null, payment.period);
    // A renewal never shortens a period (docs/integrations.md §4.5).
    const periodEnd =
      !activation && existing && existing.currentPeriodEnd.getTime() > period.end.getTime()
        ? existing.currentPeriodEnd
        : period.end;
    const subscription = await this.subscriptions.save(
      manager,
      Object.assign(existing ?? this.newSubscription(payment), {
        status: keepCancellation ? ('cancelled' as const) : ('active' as const),
        currentPeriodStart: period.start,
        currentPeriodEnd: periodEnd,
        cancelAtPeriodEnd: keepCancellation,
        cancelledAt: keepCancellation ? (existing?.cancelledAt ?? null) : null,
        gracePeriodEnd: null,
        graceWarningSent: false,
        failedPaymentCount: 0,
        lastPaymentAt: payment.capturedAt,
        lastPaymentId: payment.paymentId,
        // A capture is never stale; it moves the event time forward (docs/billing-events.md §4).
        lastEventAt: latestEventTime(existing?.lastEventAt ?? null, eventTime(payment.capturedAt, payment.now)),
        // The card of this payment becomes the renewal instrument; a renewal charge without a
        // source keeps the card it charged, other reports without one leave it to the lookup.
        paymentInstrumentId:
          payment.instrumentId ??
          (payment.reportedBy === 'renewal_job' ? (existing?.paymentInstrumentId ?? null) : null),
        updatedAt: payment.now,
      }),
    );
    await this.subscriptions.recordPayment(manager, {
      subscriptionId: subscription.id,
      userId: payment.userId,
      paymentId: payment.paymentId,
      outcome: 'captured',
      reportedBy: payment.reportedBy,
      periodStart: period.start,
      periodEnd,
      now: payment.now,
    });
    await this.subscriptions.setTier(manager, payment.userId, 'pro', payment.now);
    if (!activation)
      await this.credits.applyCarryover(tx, payment.userId, this.config.MAX_CREDIT_CARRYOVER, payment.now);
    await this.credits.grant(tx, {
      userId: payment.userId,
      creditType: 'subscription',
      amount: this.config.PRO_MONTHLY_CREDITS,
      operationRef: `payment:${payment.paymentId}`,
      description: 'Pro subscription credits',
      reason: 'subscription',
      now: payment.now,
    });
    await this.credits.raiseDailyGrant(tx, payment.userId, payment.now);
    const paid = await tx.emit(
      activation ? SubscriptionActivated : SubscriptionRenewed,
      { subscription_id: subscription.id, period_end: periodEnd.toISOString(), payment_id: payment.paymentId },
      { userId: payment.userId, source: 'system', occurredAt: payment.now },
    );
    await (activation ? this.notifier.activated(tx, paid) : this.notifier.renewed(tx, paid));
    if (!subscription.paymentInstrumentId && payment.reportedBy === 'webhook') {
      tx.afterCommit(() => this.lookUpInstrument(subscription.id, payment.paymentId, payment.now));
    }
    return { outcome: 'applied', activation, subscription };
  }

  /**
   * The decline rule for a locked subscription (past due, grace at the 3rd failure). `eventAt` is
   * the provider's event time of a webhook decline (stale when older than the last applied event,
   * docs/billing-events.md §3); null for the renewal job's own answer, which is never late.
   */
  async applyDecline(
    tx: Transaction,
    subscription: SubscriptionEntity,
    paymentId: string,
    reportedBy: SubscriptionPaymentReporter,
    now: Date,
    eventAt: Date | null,
  ): Promise<DeclineResult> {
    if (await this.subscriptions.paymentRecorded(tx.manager, paymentId)) return 'duplicate';
    if (eventAt && isStaleEvent(subscription.lastEventAt, eventAt)) return 'stale';
    if (isClosed(subscription.status)) return 'unchanged';
    const outcome = applyDecline(subscription, now);
    Object.assign(subscription, {
      status: outcome.status,
      failedPaymentCount: outcome.failedPaymentCount,
      gracePeriodEnd: outcome.gracePeriodEnd,
      graceWarningSent: outcome.event === 'grace_started' ? false : subscription.graceWarningSent,
      lastFailedPaymentAt: now,
      lastEventAt: latestEventTime(subscription.lastEventAt, eventAt ?? now),
      updatedAt: now,
    });
    await this.subscriptions.save(tx.manager, subscription);
    await this.subscriptions.recordPayment(tx.manager, {
      subscriptionId: subscription.id,
      userId: subscription.userId,
      paymentId,
      outcome: 'declined',
      reportedBy,
      periodStart: null,
      periodEnd: null,
      now,
    });
    const options = { userId: subscription.userId, source: 'system' as const, occurredAt: now };
    if (outcome.event === 'grace_started') {
      const graceStarted = await tx.emit(
        SubscriptionGraceStarted,
        { subscription_id: subscription.id, grace_period_end: (outcome.gracePeriodEnd as Date).toISOString() },
        options,
      );
      await this.notifier.graceStarted(tx, graceStarted);
    } else {
      const failed = await tx.emit(
        SubscriptionPaymentFailed,
        { subscription_id: subscription.id, failed_payment_count: outcome.failedPaymentCount, payment_id: paymentId },
        options,
      );
      await this.notifier.paymentFailed(tx, failed);
    }
    return 'applied';
  }

  /** Cancellation at period end (local: nothing is sent to the provider); `eventAt` = the provider's event time. */
  async cancel(
    tx: Transaction,
    subscription: SubscriptionEntity,
    initiatedBy: 'user' | 'provider',
    now: Date,
    eventAt: Date = now,
  ): Promise<SubscriptionEntity> {
    Object.assign(subscription, {
      status: 'cancelled',
      cancelAtPeriodEnd: true,
      cancelledAt: now,
      lastEventAt: latestEventTime(subscription.lastEventAt, eventAt),
      updatedAt: now,
    });
    await this.subscriptions.save(tx.manager, subscription);
    await tx.emit(
      SubscriptionCancelled,
      {
        subscription_id: subscription.id,
        access_until: subscription.currentPeriodEnd.toISOString(),
        initiated_by: initiatedBy,
      },
      { userId: subscription.userId, source: initiatedBy === 'user' ? 'user' : 'system', occurredAt: now },
    );
    return subscription;
  }

  /**
   * Undoes a cancellation while its period lasts: back to active (past due / grace when payments
   * had failed); period, failures and card are kept; no payment, no credits.
   */
  async resume(tx: Transaction, subscription: SubscriptionEntity, now: Date): Promise<SubscriptionEntity> {
    Object.assign(subscription, {
      status: resumedStatus(subscription.failedPaymentCount),
      cancelAtPeriodEnd: false,
      cancelledAt: null,
      // The user's resumption is newer than any provider cancellation sent before it.
      lastEventAt: latestEventTime(subscription.lastEventAt, now),
      updatedAt: now,
    });
    await this.subscriptions.save(tx.manager, subscription);
    await tx.emit(
      SubscriptionResumed,
      { subscription_id: subscription.id, current_period_end: subscription.currentPeriodEnd.toISOString() },
      { userId: subscription.userId, source: 'user', occurredAt: now },
    );
    return subscription;
  }

  /** Expiry: status expired, tier free; data and subscription credits stay. */
  async expire(tx: Transaction, subscription: SubscriptionEntity, reason: ExpiryReason, now: Date): Promise<void> {
    Object.assign(subscription, { status: 'expired', updatedAt: now });
    await this.subscriptions.save(tx.manager, subscription);
    await this.subscriptions.setTier(tx.manager, subscription.userId, 'free', now);
    const expired = await tx.emit(
      SubscriptionExpired,
      { subscription_id: subscription.id, reason },
      { userId: subscription.userId, source: 'system', occurredAt: now },
    );
    await this.notifier.expired(tx, expired);
  }

  /**
   * Reads the card of a captured payment that did not carry one (docs/integrations.md §4.3). Failures
   * are left to `subscription_renew`, which repeats the lookup before charging.
   */
  async lookUpInstrument(subscriptionId: string, paymentId: string, now: Date): Promise<string | null> {
    if (!this.checkout.configured || paymentId.startsWith('dev_')) return null;
    const instrumentId = await this.checkout.paymentSource(paymentId);
    if (instrumentId) await this.subscriptions.setInstrument(subscriptionId, paymentId, instrumentId, now);
    else
      this.logger.warn(
        { subscription_id: subscriptionId },
        'payment instrument unknown; renewal will look it up again',
      );
    return instrumentId;
  }

  private newSubscription(payment: CapturedPayment): SubscriptionEntity {
    return Object.assign(new SubscriptionEntity(), {
      id: randomUUID(),
      userId: payment.userId,
      checkoutSubscriptionId: payment.seriesId ?? payment.paymentId,
      createdAt: payment.now,
    });
  }
}
