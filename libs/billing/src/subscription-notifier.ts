import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import type { DomainEvent } from '@app/core/events/domain-event';
import { OnDomainEvent } from '@app/core/events/on-domain-event.decorator';
import type { Transaction } from '@app/core/events/transaction';
import { NotificationsService } from '@app/notifications/notifications.service';
import {
  SubscriptionActivated,
  SubscriptionExpired,
  SubscriptionExpiredPayload,
  SubscriptionGracePayload,
  SubscriptionGraceStarted,
  SubscriptionGraceWarning,
  SubscriptionPaidPayload,
  SubscriptionPaymentFailed,
  SubscriptionPaymentFailedPayload,
  SubscriptionRenewed,
} from './subscription.events';
import { SubscriptionNotice, subscriptionNotificationText } from './subscription-notifications';

const ACTION_URL = '/subscription';

/** Subscription notifications of docs/rules.md §10 (tx-safe: a failure never undoes the change). */
@Injectable()
export class SubscriptionNotifier {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
  ) {}

  @OnDomainEvent(SubscriptionActivated, 'tx-safe')
  async activated(event: DomainEvent<SubscriptionPaidPayload>, tx: Transaction): Promise<void> {
    const { payment_id: paymentId, period_end: periodEnd } = event.payload;
    await this.notify(tx, event, `activated:${paymentId}`, {
      kind: 'activated',
      periodEnd,
      credits: this.config.PRO_MONTHLY_CREDITS,
    });
  }

  @OnDomainEvent(SubscriptionRenewed, 'tx-safe')
  async renewed(event: DomainEvent<SubscriptionPaidPayload>, tx: Transaction): Promise<void> {
    const { payment_id: paymentId, period_end: periodEnd } = event.payload;
    await this.notify(tx, event, `renewed:${paymentId}`, {
      kind: 'renewed',
      periodEnd,
      credits: this.config.PRO_MONTHLY_CREDITS,
    });
  }

  @OnDomainEvent(SubscriptionPaymentFailed, 'tx-safe')
  async paymentFailed(event: DomainEvent<SubscriptionPaymentFailedPayload>, tx: Transaction): Promise<void> {
    const { payment_id: paymentId, failed_payment_count: failedPaymentCount } = event.payload;
    // Declines after the grace period started only count; the grace notice already went out.
    if (failedPaymentCount >= 3) return;
    await this.notify(tx, event, `payment_failed:${paymentId}`, { kind: 'payment_failed', failedPaymentCount });
  }

  @OnDomainEvent(SubscriptionGraceStarted, 'tx-safe')
  async graceStarted(event: DomainEvent<SubscriptionGracePayload>, tx: Transaction): Promise<void> {
    const { subscription_id: id, grace_period_end: gracePeriodEnd } = event.payload;
    await this.notify(tx, event, `grace_started:${id}:${gracePeriodEnd}`, { kind: 'grace_started', gracePeriodEnd });
  }

  @OnDomainEvent(SubscriptionGraceWarning, 'tx-safe')
  async graceWarning(event: DomainEvent<SubscriptionGracePayload>, tx: Transaction): Promise<void> {
    const { subscription_id: id, grace_period_end: gracePeriodEnd } = event.payload;
    await this.notify(tx, event, `grace_warning:${id}:${gracePeriodEnd}`, { kind: 'grace_warning', gracePeriodEnd });
  }

  @OnDomainEvent(SubscriptionExpired, 'tx-safe')
  async expired(event: DomainEvent<SubscriptionExpiredPayload>, tx: Transaction): Promise<void> {
    const ref = `expired:${event.payload.subscription_id}:${event.occurredAt.toISOString()}`;
    await this.notify(tx, event, ref, { kind: 'expired' });
  }

  private async notify(
    tx: Transaction,
    event: DomainEvent<unknown>,
    ref: string,
    notice: SubscriptionNotice,
  ): Promise<void> {
    await this.notifications.create(tx, {
      userId: event.userId,
      type: 'subscription',
      ...subscriptionNotificationText(notice),
      actionUrl: ACTION_URL,
      sourceRef: `subscription:${ref}`,
      createdAt: event.occurredAt,
    });
  }
}
