import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SubscriptionEntity } from '@app/core/database/entities';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { BatchedRuns } from '@app/core/jobs/batched-runs';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import type { KeyRange } from '@app/core/jobs/key-ranges';
import { CheckoutClient, RenewalAnswer } from './checkout-client';
import { PaymentSessionsRepository } from './payment-sessions.repository';
import { SubscriptionGraceWarning } from './subscription.events';
import { SubscriptionLifecycle } from './subscription-lifecycle.service';
import { SubscriptionNotifier } from './subscription-notifier';
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
export class SubscriptionJobs implements OnModuleInit {
  private readonly logger = new Logger(SubscriptionJobs.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly sessions: PaymentSessionsRepository,
    private readonly lifecycle: SubscriptionLifecycle,
    private readonly notifier: SubscriptionNotifier,
    private readonly checkout: CheckoutClient,
    private readonly runs: BatchedRuns,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.runs.register('subscription_check', {
      size: (manager) => this.subscriptions.checkCandidateCount(manager),
      batch: (tx, range, now) => this.checkBatch(tx, range, now),
    });
  }

  /**
   * docs/jobs.md §4 `subscription_check`: time-based expiries (grace, cancelled, lapsed) and grace
   * warnings by batches of users (docs/jobs-batches.md), each subscription under a savepoint of
   * its batch and re-checked under lock, so reruns change nothing; then stale payment sessions.
   */
  @JobHandler('subscription_check')
  async check(ctx: JobContext): Promise<JobResult> {
    const counts = await this.runs.run('subscription_check', ctx.now, {
      expired_grace: 0,
      expired_cancelled: 0,
      expired_lapsed: 0,
      warnings_sent: 0,
      errors: 0,
    });
    const sessionsExpired = await this.sessions.expirePending(ctx.now);
    return {
      status: 'success',
      result: {
        expired_grace: counts.expired_grace,
        expired_cancelled: counts.expired_cancelled,
        expired_lapsed: counts.expired_lapsed,
        warnings_sent: counts.warnings_sent,
        payment_sessions_expired: sessionsExpired,
        errors: counts.errors,
      },
    };
  }

  private async checkBatch(tx: Transaction, range: KeyRange, now: Date): Promise<Record<string, number>> {
    const counts = { expired_grace: 0, expired_cancelled: 0, expired_lapsed: 0, warnings_sent: 0, errors: 0 };
    const tally = (done: boolean | null, key: keyof typeof counts): void => {
      if (done === null) counts.errors++;
      else if (done) counts[key]++;
    };
    for (const reason of EXPIRY_ORDER) {
      for (const id of await this.subscriptions.idsToExpire(tx.manager, range, reason, now)) {
        const done = await this.eachLocked(tx, id, async (subscription) => {
          if (expiryReason(subscription, now) !== reason) return false;
          await this.lifecycle.expire(tx, subscription, reason, now);
          return true;
        });
        tally(done, `expired_${reason}`);
      }
    }
    for (const id of await this.subscriptions.idsNeedingGraceWarning(tx.manager, range, now)) {
      const done = await this.eachLocked(tx, id, async (subscription) => {
        if (!needsGraceWarning(subscription, now)) return false;
        subscription.graceWarningSent = true;
        subscription.updatedAt = now;
        await this.subscriptions.save(tx.manager, subscription);
        const warning = await tx.emit(
          SubscriptionGraceWarning,
          { subscription_id: subscription.id, grace_period_end: (subscription.gracePeriodEnd as Date).toISOString() },
          { userId: subscription.userId, source: 'system', occurredAt: now },
        );
        await this.notifier.graceWarning(tx, warning);
        return true;
      });
      tally(done, 'warnings_sent');
    }
    return counts;
  }

  /**
   * docs/jobs.md §4 `subscription_renew`: charges due subscriptions with the stored card as a
   * merchant-initiated recurring payment (docs/integrations.md §4.6). No lock is held during a provider
   * call: the charge is prepared from the row as read, and its outcome applied in a transaction of
   * its own with the row locked, through the webhook code paths (idempotent on the payment id). No
   * usable answer changes nothing and the next run repeats the same idempotency key.
   */
  @JobHandler('subscription_renew')
  async renew(ctx: JobContext): Promise<JobResult> {
    if (!this.checkout.configured) return { status: 'skipped', result: { renewed: 0, declined: 0, errors: 0 } };
    const counts = { renewed: 0, declined: 0, errors: 0 };
    for (const id of await this.subscriptions.idsDueForRenewal(ctx.now)) {
      let outcome: RenewalOutcome;
      try {
        outcome = await this.renewOne(id, ctx.now);
      } catch (error) {
        this.logger.error({ subscription_id: id, err: error }, 'subscription renewal failed');
        outcome = 'error';
      }
      if (outcome === 'error') counts.errors++;
      else if (outcome !== 'skipped') counts[outcome]++;
    }
    return { status: 'success', result: counts };
  }

  private async renewOne(id: string, now: Date): Promise<RenewalOutcome> {
    const subscription = await this.subscriptions.findById(this.dataSource.manager, id);
    if (!subscription || !isRenewalDue(subscription, now)) return 'skipped';
    const instrumentId = subscription.paymentInstrumentId ?? (await this.lookUpInstrument(subscription, now));
    if (!instrumentId) return 'skipped';
    const answer = await this.charge(subscription, instrumentId);
    if (answer.kind === 'unusable') {
      this.logger.warn(
        { subscription_id: subscription.id, reason: answer.reason },
        'renewal charge without usable answer',
      );
      return 'error';
    }
    const outcome = await this.uow.run(async (tx) => {
      const locked = await this.lockSubscription(tx, id);
      if (!locked) return 'skipped' as const;
      return this.applyCharge(tx, locked, answer, now);
    });
    return outcome;
  }

  private charge(subscription: SubscriptionEntity, instrumentId: string): Promise<RenewalAnswer> {
    const key = renewalKey(subscription.id, subscription.currentPeriodEnd, subscription.failedPaymentCount);
    return this.checkout.chargeRenewal(
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
  }

  private async applyCharge(
    tx: Transaction,
    subscription: SubscriptionEntity,
    answer: Exclude<RenewalAnswer, { kind: 'unusable' }>,
    now: Date,
  ): Promise<RenewalOutcome> {
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
          renewalCharge: true,
          now,
        });
        return result.outcome === 'applied' ? 'renewed' : 'skipped';
      }
      case 'declined': {
        const result = await this.lifecycle.applyDecline(tx, subscription, answer.paymentId, 'renewal_job', now, null);
        return result === 'applied' ? 'declined' : 'skipped';
      }
    }
  }

  /** A card not known yet is read from the last captured payment (docs/integrations.md §4.3), then stored. */
  private async lookUpInstrument(subscription: SubscriptionEntity, now: Date): Promise<string | null> {
    if (!subscription.lastPaymentId || subscription.lastPaymentId.startsWith('dev_')) return null;
    const instrumentId = await this.checkout.paymentSource(subscription.lastPaymentId);
    if (!instrumentId) return null;
    await this.uow.run(async (tx) => {
      const locked = await this.lockSubscription(tx, subscription.id);
      if (!locked || locked.paymentInstrumentId) return;
      Object.assign(locked, { paymentInstrumentId: instrumentId, updatedAt: now });
      await this.subscriptions.save(tx.manager, locked);
    });
    return instrumentId;
  }

  /** The subscription with its user and row locked (the billing lock order), or null if it is gone. */
  private async lockSubscription(tx: Transaction, id: string): Promise<SubscriptionEntity | null> {
    const found = await this.subscriptions.findById(tx.manager, id);
    if (!found) return null;
    await this.subscriptions.lockUser(tx.manager, found.userId);
    return this.subscriptions.findById(tx.manager, id, true);
  }

  /**
   * Runs `work` on one subscription under a savepoint of the batch's transaction, with the user and
   * the row locked. A failure is logged, rolled back to the savepoint and reported as null; it
   * never stops the batch.
   */
  private async eachLocked(
    tx: Transaction,
    id: string,
    work: (subscription: SubscriptionEntity) => Promise<boolean>,
  ): Promise<boolean | null> {
    try {
      return await tx.savepoint(async () => {
        const subscription = await this.lockSubscription(tx, id);
        return subscription ? work(subscription) : false;
      });
    } catch (error) {
      this.logger.error({ subscription_id: id, err: error }, 'subscription job step failed');
      return null;
    }
  }
}
