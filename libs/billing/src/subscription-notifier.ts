import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import type { DomainEvent } from '@app/core/events/domain-event';
import type { Transaction } from '@app/core/events/transaction';
import { runTxSafe } from '@app/core/events/tx-safe';
import { NotificationsService } from '@app/notifications/notifications.service';
import type {
  SubscriptionExpiredPayload,
  SubscriptionGracePayload,
  SubscriptionPaidPayload,
  SubscriptionPaymentFailedPayload,
} from './subscription.events';
import { SubscriptionNotice, subscriptionNotificationText } from './subscription-notifications';

const ACTION_URL = '/subscription';

/**
 * Subscription notifications of docs/rules.md §10, each for the event its change just emitted
 * (tx-safe: a failure never undoes the change).
 */
@Injectable()
export class SubscriptionNotifier {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
  ) {}

  async activated(tx: Transaction, event: DomainEvent<SubscriptionPaidPayload>): Promise<void> {
    const { payment_id: paymentId, period_end: periodEnd } = event.payload;
    await this.notify(tx, 'activated', event, `activated:${paymentId}`, {
      kind: 'activated',
      periodEnd,
      credits: this.config.PRO_MONTHLY_CREDITS,
    });
  }

  async renewed(tx: Transaction, event: DomainEvent<SubscriptionPaidPayload>): Promise<void> {
    const { payment_id: paymentId, period_end: periodEnd } = event.payload;
    await this.notify(tx, 'renewed', event, `renewed:${paymentId}`, {
      kind: 'renewed',
      periodEnd,
      credits: this.config.PRO_MONTHLY_CREDITS,
    });
  }

  async paymentFailed(tx: Transaction, event: DomainEvent<SubscriptionPaymentFailedPayload>): Promise<void> {
    const { payment_id: paymentId, failed_payment_count: failedPaymentCount } = event.payload;
    // Declines after the grace period started only count; the grace notice already went out.
    if (failedPaymentCount >= 3) return;
    await this.notify(tx, 'paymentFailed', event, `payment_failed:${paymentId}`, {
      kind: 'payment_failed',
      failedPaymentCount,
    });
  }

  async graceStarted(tx: Transaction, event: DomainEvent<SubscriptionGracePayload>): Promise<void> {
    const { subscription_id: id, grace_period_end: gracePeriodEnd } = event.payload;
    await this.notify(tx, 'graceStarted', event, `grace_started:${id}:${gracePeriodEnd}`, {
      kind: 'grace_started',
      gracePeriodEnd,
    });
  }

  async graceWarning(tx: Transaction, event: DomainEvent<SubscriptionGracePayload>): Promise<void> {
    const { subscription_id: id, grace_period_end: gracePeriodEnd } = event.payload;
    await this.notify(tx, 'graceWarning', event, `grace_warning:${id}:${gracePeriodEnd}`, {
      kind: 'grace_warning',
      gracePeriodEnd,
    });
  }

  async expired(tx: Transaction, event: DomainEvent<SubscriptionExpiredPayload>): Promise<void> {
    const ref = `expired:${event.payload.subscription_id}:${event.occurredAt.toISOString()}`;
    await this.notify(tx, 'expired', event, ref, { kind: 'expired' });
  }

  private async notify(
    tx: Transaction,
    method: string,
    event: DomainEvent<unknown>,
    ref: string,
    notice: SubscriptionNotice,
  ): Promise<void> {
    await runTxSafe(tx, `SubscriptionNotifier.${method}`, event, () =>
      this.notifications.create(tx, {
        userId: event.userId,
        type: 'subscription',
        ...subscriptionNotificationText(notice),
        actionUrl: ACTION_URL,
        sourceRef: `subscription:${ref}`,
        createdAt: event.occurredAt,
      }),
    );
  }
}
