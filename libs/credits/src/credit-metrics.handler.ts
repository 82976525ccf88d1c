import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/core/events/domain-event';
import { OnDomainEvent } from '@app/core/events/on-domain-event.decorator';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { CreditConsumed, CreditConsumedPayload, CreditGranted, CreditGrantedPayload } from './credit.events';

/** `credits_granted_total` and `ai_credits_consumed_total` (docs/api.md §17), counted once the change committed. */
@Injectable()
export class CreditMetricsHandler {
  constructor(private readonly metrics: MetricsService) {}

  @OnDomainEvent(CreditGranted, 'after-commit')
  async creditsGranted({ payload }: DomainEvent<CreditGrantedPayload>): Promise<void> {
    this.metrics.creditsGranted.inc({ credit_type: payload.credit_type }, payload.amount);
  }

  @OnDomainEvent(CreditConsumed, 'after-commit')
  async creditsConsumed({ payload }: DomainEvent<CreditConsumedPayload>): Promise<void> {
    this.metrics.aiCreditsConsumed.inc({ operation: payload.operation_ref.split(':')[0] }, payload.amount);
  }
}
