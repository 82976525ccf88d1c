import { Injectable } from '@nestjs/common';
import type { PaymentSessionEntity } from '@app/core/database/entities';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { CheckoutClient, HostedPaymentRequest } from './checkout-client';
import type { RedirectUrls } from './redirect-urls';
import { PaymentSessionsRepository } from './payment-sessions.repository';
import { PaymentSessionCreated } from './subscription.events';

export interface Customer {
  email: string;
  name: string;
}

/**
 * Opens the Checkout.com hosted payment page for a committed `pending` payment session
 * (docs/integrations.md §4.1). A provider failure marks the session `failed` and answers 503.
 */
@Injectable()
export class HostedPaymentsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly checkout: CheckoutClient,
    private readonly sessions: PaymentSessionsRepository,
  ) {}

  async open(
    session: PaymentSessionEntity,
    customer: Customer,
    urls: RedirectUrls,
  ): Promise<{ checkoutUrl: string; sessionId: string }> {
    const pro = session.purpose === 'pro_subscription';
    const request: HostedPaymentRequest = {
      amount: session.amountCents,
      currency: session.currency,
      // Recurring stores the card for the renewals the product charges itself (§4.6).
      payment_type: pro ? 'Recurring' : 'Regular',
      reference: session.id,
      description: pro ? 'Perpetua Flow Pro (monthly)' : `Perpetua Flow AI credits (${session.credits})`,
      customer,
      billing: { address: { country: 'US' } },
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
      failure_url: urls.cancelUrl,
      metadata: {
        user_id: session.userId,
        purpose: session.purpose,
        payment_session_id: session.id,
        ...(pro ? {} : { credits: session.credits as number }),
      },
    };
    // The pending session commits with the request's idempotency claim (docs/api.md §1.10).
    await this.uow.commitBeforeOutsideCall();
    let hosted: { id: string; checkoutUrl: string };
    try {
      hosted = await this.checkout.createHostedPayment(request);
    } catch (error) {
      await this.uow.run((tx) => this.sessions.fail(tx.manager, session.id, new Date()));
      throw error;
    }
    await this.uow.run(async (tx) => {
      const now = new Date();
      await this.sessions.attachProviderSession(tx.manager, session.id, hosted.id, hosted.checkoutUrl, now);
      await tx.emit(
        PaymentSessionCreated,
        { payment_session_id: session.id, purpose: session.purpose, credits: session.credits },
        { userId: session.userId, source: 'user', occurredAt: now },
      );
    });
    return { checkoutUrl: hosted.checkoutUrl, sessionId: hosted.id };
  }
}
