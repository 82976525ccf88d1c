import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import type { DomainEvent, EventDefinition } from '@app/core/events/domain-event';
import { EventBus } from '@app/core/events/event-bus';
import { NotificationsService } from '@app/notifications/notifications.service';
import {
  SubscriptionActivated,
  SubscriptionExpired,
  SubscriptionGraceStarted,
  SubscriptionGraceWarning,
  SubscriptionPaymentFailed,
  SubscriptionRenewed,
} from './subscription.events';
import { subscriptionNotificationText } from './subscription-notifications';

const ACTION_URL = '/subscription';

/** Subscription notifications of docs/rules.md §10 (tx-safe: a failure never undoes the change). */
@Injectable()
export class SubscriptionNotifier implements OnModuleInit {
  constructor(
    private readonly bus: EventBus,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const credits = this.config.PRO_MONTHLY_CREDITS;
    this.notifyOn(SubscriptionActivated, (p) => ({
      ref: `activated:${p.payment_id}`,
      text: subscriptionNotificationText({ kind: 'activated', periodEnd: p.period_end, credits }),
    }));
    this.notifyOn(SubscriptionRenewed, (p) => ({
      ref: `renewed:${p.payment_id}`,
      text: subscriptionNotificationText({ kind: 'renewed', periodEnd: p.period_end, credits }),
    }));
    this.notifyOn(SubscriptionPaymentFailed, (p) =>
      // Declines after the grace period started only count; the grace notice already went out.
      p.failed_payment_count < 3
        ? {
            ref: `payment_failed:${p.payment_id}`,
            text: subscriptionNotificationText({ kind: 'payment_failed', failedPaymentCount: p.failed_payment_count }),
          }
        : null,
    );
    this.notifyOn(SubscriptionGraceStarted, (p) => ({
      ref: `grace_started:${p.subscription_id}:${p.grace_period_end}`,
      text: subscriptionNotificationText({ kind: 'grace_started', gracePeriodEnd: p.grace_period_end }),
    }));
    this.notifyOn(SubscriptionGraceWarning, (p) => ({
      ref: `grace_warning:${p.subscription_id}:${p.grace_period_end}`,
      text: subscriptionNotificationText({ kind: 'grace_warning', gracePeriodEnd: p.grace_period_end }),
    }));
    this.notifyOn(SubscriptionExpired, (p, event) => ({
      ref: `expired:${p.subscription_id}:${event.occurredAt.toISOString()}`,
      text: subscriptionNotificationText({ kind: 'expired' }),
    }));
  }

  private notifyOn<P>(
    definition: EventDefinition<P>,
    build: (payload: P, event: DomainEvent<P>) => { ref: string; text: { title: string; body: string } } | null,
  ): void {
    this.bus.on(definition, 'tx-safe', `notification:${definition.type}`, async (event, tx) => {
      const notification = build(event.payload, event);
      if (!notification) return;
      await this.notifications.create(tx, {
        userId: event.userId,
        type: 'subscription',
        ...notification.text,
        actionUrl: ACTION_URL,
        sourceRef: `subscription:${notification.ref}`,
        createdAt: event.occurredAt,
      });
    });
  }
}
