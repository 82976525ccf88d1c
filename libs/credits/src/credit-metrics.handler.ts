import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@app/core/events/event-bus';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { CreditConsumed, CreditGranted } from './credit.events';

/** `credits_granted_total` and `ai_credits_consumed_total` (docs/api.md §17), counted once the change committed. */
@Injectable()
export class CreditMetricsHandler implements OnModuleInit {
  constructor(
    private readonly bus: EventBus,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    this.bus.on(CreditGranted, 'after-commit', 'creditsGrantedMetric', async ({ payload }) => {
      this.metrics.creditsGranted.inc({ credit_type: payload.credit_type }, payload.amount);
    });
    this.bus.on(CreditConsumed, 'after-commit', 'creditsConsumedMetric', async ({ payload }) => {
      this.metrics.aiCreditsConsumed.inc({ operation: payload.operation_ref.split(':')[0] }, payload.amount);
    });
  }
}
