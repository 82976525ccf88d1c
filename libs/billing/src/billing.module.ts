import { Module } from '@nestjs/common';
import { CreditsModule } from '@app/credits/credits.module';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { CheckoutClient } from './checkout-client';
import { CheckoutWebhookService } from './checkout-webhook.service';
import { CreditPurchaseService } from './credit-purchase.service';
import { DevProActivationService } from './dev-pro-activation.service';
import { HostedPaymentsService } from './hosted-payments.service';
import { PaymentSessionsRepository } from './payment-sessions.repository';
import { SubscriptionLifecycle } from './subscription-lifecycle.service';
import { SubscriptionNotifier } from './subscription-notifier';
import { SubscriptionService } from './subscription.service';
import { SubscriptionJobs } from './subscription.jobs';
import { SubscriptionsRepository } from './subscriptions.repository';
import { WebhookEventRetention } from './webhook-event-retention';
import { WebhookEventsRepository } from './webhook-events.repository';

/** Pro subscriptions and payments (docs/rules.md §10, docs/integrations.md §4) and their jobs. */
@Module({
  imports: [CreditsModule, NotificationsModule],
  providers: [
    CheckoutClient,
    SubscriptionsRepository,
    PaymentSessionsRepository,
    WebhookEventsRepository,
    WebhookEventRetention,
    SubscriptionLifecycle,
    SubscriptionNotifier,
    HostedPaymentsService,
    SubscriptionService,
    CreditPurchaseService,
    CheckoutWebhookService,
    SubscriptionJobs,
    DevProActivationService,
  ],
  exports: [SubscriptionService, CreditPurchaseService, CheckoutWebhookService, DevProActivationService],
})
export class BillingModule {}
