import { Injectable } from '@nestjs/common';
import type { DevProActivation as Activation, ProActivationPort } from '@app/auth/pro-activation.port';
import type { Transaction } from '@app/core/events/transaction';
import { SubscriptionLifecycle } from './subscription-lifecycle.service';

/**
 * Dev login with `tier: "pro"` (docs/api.md §3): exactly a captured subscription payment, reported by
 * `dev_login`, with no stored card (never charged; it lapses like any unpaid subscription).
 */
@Injectable()
export class DevProActivationService implements ProActivationPort {
  constructor(private readonly lifecycle: SubscriptionLifecycle) {}

  async activateFromDevLogin(tx: Transaction, activation: Activation): Promise<void> {
    await this.lifecycle.applyCapture(tx, {
      userId: activation.userId,
      paymentId: activation.paymentId,
      seriesId: activation.checkoutSubscriptionId,
      instrumentId: null,
      capturedAt: activation.now,
      period: null,
      reportedBy: 'dev_login',
      renewalCharge: false,
      now: activation.now,
    });
  }
}
