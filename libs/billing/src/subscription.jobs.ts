import { Injectable, Logger } from '@nestjs/common';
import type { SubscriptionEntity } from '@app/core/database/entities';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { CheckoutClient } from './checkout-client';
import { PaymentSessionsRepository } from './payment-sessions.repository';
import { SubscriptionGraceWarning } from './subscription.events';
import { SubscriptionLifecycle } from './subscription-lifecycle.service';
import {
  CURRENCY,
  ExpiryReason,
  expiryReason,
  isRenewalDue,
  needsGraceWarning,
  PRO_PRICE_CENTS,
  renewalKey,
} from './subscription-rules';
import { SubscriptionsRepository } from './subscriptions.repository';

const EXPIRY_ORDER: ExpiryReason[] = ['grace', 'cancelled', 'lapsed'];

type RenewalOutcome = 'renewed' | 'declined' | 'error' | 'skipped';

@Injectable()
export class SubscriptionJobs {
  private readonly logger = new Logger(SubscriptionJobs.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly sessions: PaymentSessionsRepository,
    private readonly lifecycle: SubscriptionLifecycle,
    private readonly checkout: CheckoutClient,
  ) {}

  /**
   * docs/jobs.md §4 `subscription_check`: time-based expiries (grace, cancelled, lapsed), grace
   * warnings and stale payment sessions; each subscription in its own transaction, re-checked
   * under lock, so reruns change nothing.
   */
  @JobHandler('subscription_check')
  async check(ctx: JobContext): Promise<JobResult> {
    const expired: Record<ExpiryReason, number> = { grace: 0, cancelled: 0, lapsed: 0 };
    let errors = 0;
    for (const reason of EXPIRY_ORDER) {
      for (const id of await this.subscriptions.idsToExpire(reason, ctx.now)) {
        const done = await this.eachLocked(id, async (tx, subscription) => {
          if (expiryReason(subscription, ctx.now) !== reason) return false;
          await this.lifecycle.expire(tx, subscription, reason, ctx.now);
          return true;
        });
        if (done === null) errors++;
        else if (done) expired[reason]++;
      }
    }
    let warnings = 0;
    for (const id of await this.subscriptions.idsNeedingGraceWarning(ctx.now)) {
      const done = await this.eachLocked(id, async (tx, subscription) => {
        if (!needsGraceWarning(subscription, ctx.now)) return false;
        subscription.graceWarningSent = true;
        subscription.updatedAt = ctx.now;
        await this.subscriptions.save(tx.manager, subscription);
        await tx.emit(
          SubscriptionGraceWarning,
          { subscription_id: subscription.id, grace_period_end: (subscription.gracePeriodEnd as Date).toISOString() },
          { userId: subscription.userId, source: 'system', occurredAt: ctx.now },
        );
        return true;
      });
      if (done === null) errors++;
      else if (done) warnings++;
    }
    const sessionsExpired = await this.sessions.expirePending(ctx.now);
    return {
      status: 'success',
      result: {
        expired_grace: expired.grace,
        expired_cancelled: expired.cancelled,
        expired_lapsed: expired.lapsed,
        warnings_sent: warnings,
        payment_sessions_expired: sessionsExpired,
        errors,
      },
    };
  }

  /**
   * docs/jobs.md §4 `subscription_renew`: charges due subscriptions with the stored card as a
   * merchant-initiated recurring payment (docs/integrations.md §4.6). The row stays locked while the
   * charge is made and its outcome applied; no usable answer changes nothing and the next run
   * repeats the same idempotency key.
   */
  @JobHandler('subscription_renew')
  async renew(ctx: JobContext): Promise<JobResult> {
    if (!this.checkout.configured) return { status: 'skipped', result: { renewed: 0, declined: 0, errors: 0 } };
    const counts = { renewed: 0, declined: 0, errors: 0 };
    for (const id of await this.subscriptions.idsDueForRenewal(ctx.now)) {
      const outcome = await this.eachLocked(id, (tx, subscription) => this.charge(tx, subscription, ctx.now));
      if (outcome === null || outcome === 'error') counts.errors++;
      else if (outcome !== 'skipped' && outcome !== false) counts[outcome]++;
    }
    return { status: 'success', result: counts };
  }

  private async charge(tx: Transaction, subscription: SubscriptionEntity, now: Date): Promise<RenewalOutcome> {
    if (!isRenewalDue(subscription, now)) return 'skipped';
    const instrumentId = subscription.paymentInstrumentId ?? (await this.lookUpInstrument(tx, subscription, now));
    if (!instrumentId) return 'skipped';
    const key = renewalKey(subscription.id, subscription.currentPeriodEnd, subscription.failedPaymentCount);
    const answer = await this.checkout.chargeRenewal(
      {
        source: { type: 'id', id: instrumentId },
        amount: PRO_PRICE_CENTS,
        currency: CURRENCY,
        payment_type: 'Recurring',
        merchant_initiated: true,
        previous_payment_id: subscription.lastPaymentId,
        reference: key,
        description: 'Perpetua Flow Pro (monthly)',
        metadata: {
          user_id: subscription.userId,
          purpose: 'pro_subscription',
          subscription_id: subscription.checkoutSubscriptionId,
        },
      },
      key,
    );
    switch (answer.kind) {
      case 'approved': {
        const result = await this.lifecycle.applyCapture(tx, {
          userId: subscription.userId,
          paymentId: answer.paymentId,
          seriesId: null,
          instrumentId: answer.sourceId,
          capturedAt: answer.processedOn ?? now,
          period: null,
          reportedBy: 'renewal_job',
          now,
        });
        return result.outcome === 'applied' ? 'renewed' : 'skipped';
      }
      case 'declined': {
        const result = await this.lifecycle.applyDecline(tx, subscription, answer.paymentId, 'renewal_job', now);
        return result === 'applied' ? 'declined' : 'skipped';
      }
      case 'unusable':
        this.logger.warn(
          { subscription_id: subscription.id, reason: answer.reason },
          'renewal charge without usable answer',
        );
        return 'error';
    }
  }

  /** A card not known yet is read from the last captured payment (docs/integrations.md §4.3). */
  private async lookUpInstrument(tx: Transaction, subscription: SubscriptionEntity, now: Date): Promise<string | null> {
    if (!subscription.lastPaymentId || subscription.lastPaymentId.startsWith('dev_')) return null;
    const instrumentId = await this.checkout.paymentSource(subscription.lastPaymentId);
    if (!instrumentId) return null;
    Object.assign(subscription, { paymentInstrumentId: instrumentId, updatedAt: now });
    await this.subscriptions.save(tx.manager, subscription);
    return instrumentId;
  }

  /**
   * Runs `work` on one subscription in its own transaction with the user and the row locked.
   * A failure is logged and reported as null; it never stops the batch.
   */
  private async eachLocked<T>(
    id: string,
    work: (tx: Transaction, subscription: SubscriptionEntity) => Promise<T>,
  ): Promise<T | false | null> {
    try {
      return await this.uow.run(async (tx) => {
        const found = await this.subscriptions.findById(tx.manager, id);
        if (!found) return false;
        await this.subscriptions.lockUser(tx.manager, found.userId);
        const subscription = await this.subscriptions.findById(tx.manager, id, true);
        return subscription ? work(tx, subscription) : false;
      });
    } catch (error) {
      this.logger.error({ subscription_id: id, err: error }, 'subscription job step failed');
      return null;
    }
  }
}
