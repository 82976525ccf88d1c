import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '@app/core/clock/clock';
import { AppConfig } from '@app/core/config/app-config';
import { SubscriptionEntity, UserEntity } from '@app/core/database/entities';
import { NotFoundError, PaymentServiceUnavailableError } from '@app/core/errors/domain-error';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { tierLimits } from '@app/limits/tier-limits';
import { AlreadyProError, NoActiveSubscriptionError } from './billing.errors';
import { CheckoutClient } from './checkout-client';
import { CancelResponseDto } from './dto/cancel-response.dto';
import { CheckoutRequestDto } from './dto/checkout-request.dto';
import { CheckoutSessionDto } from './dto/checkout-session.dto';
import { SubscriptionStatusDto } from './dto/subscription-status.dto';
import { UpgradeResponseDto } from './dto/upgrade-response.dto';
import { HostedPaymentsService } from './hosted-payments.service';
import { PaymentSessionsRepository } from './payment-sessions.repository';
import { resolveRedirectUrls } from './redirect-urls';
import { SubscriptionLifecycle } from './subscription-lifecycle.service';
import { blocksCheckout, canCancel, canResume, CURRENCY, PRO_PRICE_CENTS } from './subscription-rules';
import { SubscriptionsRepository } from './subscriptions.repository';

/** The user-facing subscription endpoints (docs/api.md §14). */
@Injectable()
export class SubscriptionService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly sessions: PaymentSessionsRepository,
    private readonly lifecycle: SubscriptionLifecycle,
    private readonly checkoutClient: CheckoutClient,
    private readonly hosted: HostedPaymentsService,
  ) {}

  async status(userId: string): Promise<SubscriptionStatusDto> {
    const [tier, subscription, usage] = await Promise.all([
      this.subscriptions.userTier(userId),
      this.subscriptions.findByUser(userId),
      this.sessions.purchaseUsage(userId, this.clock.now()),
    ]);
    if (!tier) throw new NotFoundError('User');
    const limits = tierLimits(tier, this.config.PRO_DAILY_CREDITS);
    return {
      tier,
      status: subscription?.status ?? null,
      current_period_start: subscription?.currentPeriodStart.toISOString() ?? null,
      current_period_end: subscription?.currentPeriodEnd.toISOString() ?? null,
      cancel_at_period_end: subscription?.cancelAtPeriodEnd ?? false,
      grace_period_end: subscription?.gracePeriodEnd?.toISOString() ?? null,
      failed_payment_count: subscription?.failedPaymentCount ?? 0,
      features: {
        max_subtasks: limits.maxSubtasksPerTask,
        max_description_length: limits.maxDescriptionLength,
        voice_notes: limits.voiceAllowed,
        monthly_credits: tier === 'pro' ? this.config.PRO_MONTHLY_CREDITS : 0,
      },
      monthly_credits_purchased: usage.purchased,
      max_monthly_credit_purchase: this.config.MAX_CREDIT_PURCHASE_PER_MONTH,
    };
  }

  /**
   * A hosted payment session for Pro; nothing changes until its payment webhook. Allowed without
   * a subscription, after expiry and in `past_due`/`grace` (card replacement).
   */
  async checkout(userId: string, dto: CheckoutRequestDto, origin: string | undefined): Promise<CheckoutSessionDto> {
    const urls = resolveRedirectUrls(dto, origin, {
      production: this.config.isProduction,
      allowedOrigins: this.config.corsOrigins,
    });
    if (!this.checkoutClient.configured) throw new PaymentServiceUnavailableError();
    const { session, user } = await this.uow.run(async (tx) => {
      const now = this.clock.now();
      await this.subscriptions.lockUser(tx.manager, userId);
      const subscription = await this.subscriptions.findByUser(userId, tx.manager);
      if (blocksCheckout(subscription, now)) throw new AlreadyProError();
      const created = await this.sessions.create(tx.manager, {
        userId,
        purpose: 'pro_subscription',
        credits: null,
        amountCents: PRO_PRICE_CENTS,
        currency: CURRENCY,
        now,
      });
      return { session: created, user: await tx.manager.findOneOrFail(UserEntity, { where: { id: userId } }) };
    });
    const opened = await this.hosted.open(session, { email: user.email, name: user.name }, urls);
    return { checkout_url: opened.checkoutUrl, session_id: opened.sessionId };
  }

  async upgrade(userId: string, dto: CheckoutRequestDto, origin: string | undefined): Promise<UpgradeResponseDto> {
    const session = await this.checkout(userId, dto, origin);
    return { ...(await this.status(userId)), ...session };
  }

  async cancel(userId: string): Promise<CancelResponseDto> {
    const subscription = await this.uow.run(async (tx) => {
      const current = await this.lockedSubscription(tx.manager, userId);
      if (!current || !canCancel(current.status)) {
        throw new NoActiveSubscriptionError('There is no active subscription to cancel');
      }
      return this.lifecycle.cancel(tx, current, 'user', this.clock.now());
    });
    return {
      status: 'cancelled',
      access_until: subscription.currentPeriodEnd.toISOString(),
      cancel_at_period_end: true,
    };
  }

  async resume(userId: string): Promise<SubscriptionStatusDto> {
    await this.uow.run(async (tx) => {
      const now = this.clock.now();
      const current = await this.lockedSubscription(tx.manager, userId);
      if (!current || !canResume(current, now)) {
        throw new NoActiveSubscriptionError('There is no cancelled subscription with time left to resume');
      }
      await this.lifecycle.resume(tx, current, now);
    });
    return this.status(userId);
  }

  private async lockedSubscription(manager: EntityManager, userId: string): Promise<SubscriptionEntity | null> {
    await this.subscriptions.lockUser(manager, userId);
    return this.subscriptions.findByUser(userId, manager, true);
  }
}
