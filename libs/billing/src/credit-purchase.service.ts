import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core/clock/clock';
import { AppConfig } from '@app/core/config/app-config';
import { UserEntity } from '@app/core/database/entities';
import { assertWithinLimit } from '@app/limits/limit-check';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { PaymentServiceUnavailableError } from '@app/core/errors/domain-error';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import { CheckoutClient } from './checkout-client';
import { PurchaseCreditsDto } from './dto/purchase-credits.dto';
import { PurchaseCreditsResponseDto } from './dto/purchase-credits-response.dto';
import { HostedPaymentsService } from './hosted-payments.service';
import { PaymentSessionsRepository } from './payment-sessions.repository';
import { resolveRedirectUrls } from './redirect-urls';
import { CREDIT_PRICE_CENTS, CURRENCY } from './subscription-rules';
import { SubscriptionsRepository } from './subscriptions.repository';

/** Credit purchases (docs/rules.md §2.8): a paid hosted session; credits only from the captured webhook. */
@Injectable()
export class CreditPurchaseService {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly sessions: PaymentSessionsRepository,
    private readonly checkoutClient: CheckoutClient,
    private readonly hosted: HostedPaymentsService,
    private readonly credits: CreditLedgerService,
  ) {}

  async purchase(
    userId: string,
    dto: PurchaseCreditsDto,
    origin: string | undefined,
  ): Promise<PurchaseCreditsResponseDto> {
    const urls = resolveRedirectUrls(dto, origin, {
      production: this.config.isProduction,
      allowedOrigins: this.config.corsOrigins,
    });
    if (!this.checkoutClient.configured) throw new PaymentServiceUnavailableError();
    const cap = this.config.MAX_CREDIT_PURCHASE_PER_MONTH;
    // The cap check and the pending session commit together under the user lock.
    const { session, user, usage } = await this.uow.run(async (tx) => {
      const now = this.clock.now();
      await this.subscriptions.lockUser(tx.manager, userId);
      const current = await this.sessions.purchaseUsage(userId, now, tx.manager);
      const held = current.purchased + current.pending;
      assertWithinLimit(held, dto.amount, cap, `At most ${cap} credits can be bought per calendar month (UTC)`);
      const created = await this.sessions.create(tx.manager, {
        userId,
        purpose: 'credit_purchase',
        credits: dto.amount,
        amountCents: dto.amount * CREDIT_PRICE_CENTS,
        currency: CURRENCY,
        now,
      });
      const owner = await tx.manager.findOneOrFail(UserEntity, { where: { id: userId } });
      return { session: created, user: owner, usage: current };
    });
    const opened = await this.hosted.open(session, { email: user.email, name: user.name }, urls);
    const balance = await this.credits.readBalance(userId);
    return {
      success: false,
      credits_purchased: 0,
      new_balance: balance.total,
      checkout_url: opened.checkoutUrl,
      session_id: opened.sessionId,
      credits: dto.amount,
      amount_cents: session.amountCents,
      currency: session.currency,
      monthly_purchased: usage.purchased,
      monthly_remaining: Math.max(0, cap - usage.purchased - usage.pending - dto.amount),
    };
  }
}
