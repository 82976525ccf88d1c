import { Module } from '@nestjs/common';
import { BillingModule } from './billing.module';
import { CheckoutWebhookController } from './checkout-webhook.controller';
import { ProActivationModule } from './pro-activation.module';
import { SubscriptionController } from './subscription.controller';

@Module({
  imports: [BillingModule, ProActivationModule],
  controllers: [SubscriptionController, CheckoutWebhookController],
})
export class BillingHttpModule {}
