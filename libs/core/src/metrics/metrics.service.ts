import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CountedMetric } from '../events/domain-event';

/** Every metric of docs/api.md §17 in one registry; features increment these, `/metrics` exposes them. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route template',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly httpActive = new Gauge({
    name: 'http_requests_active',
    help: 'HTTP requests in flight',
    registers: [this.registry],
  });
  readonly httpErrors = new Counter({
    name: 'http_errors_total',
    help: 'Error responses by status and error code',
    labelNames: ['status', 'code'],
    registers: [this.registry],
  });
  readonly aiRequests = new Counter({
    name: 'ai_requests_total',
    help: 'AI provider calls by operation and outcome',
    labelNames: ['operation', 'outcome'],
    registers: [this.registry],
  });
  readonly aiCreditsConsumed = new Counter({
    name: 'ai_credits_consumed_total',
    help: 'Credits consumed by committed AI charges',
    labelNames: ['operation'],
    registers: [this.registry],
  });
  readonly creditsGranted = new Counter({
    name: 'credits_granted_total',
    help: 'Credits granted by credit type',
    labelNames: ['credit_type'],
    registers: [this.registry],
  });
  readonly taskOperations = new Counter({
    name: 'task_operations_total',
    help: 'Task operations by kind',
    labelNames: ['operation'],
    registers: [this.registry],
  });
  readonly taskVersionConflicts = new Counter({
    name: 'task_version_conflicts_total',
    help: 'Task writes rejected for a stale version',
    registers: [this.registry],
  });
  readonly rateLimitHits = new Counter({
    name: 'rate_limit_hits_total',
    help: 'Requests rejected by a rate-limit bucket',
    labelNames: ['bucket'],
    registers: [this.registry],
  });
  readonly redisFallbacks = new Counter({
    name: 'redis_fallback_total',
    help: 'Operations counted in process memory because Redis failed or was unreachable, by counter',
    labelNames: ['counter'],
    registers: [this.registry],
  });
  readonly redisDegraded = new Gauge({
    name: 'redis_degraded',
    help: '1 while REDIS_URL is set and Redis is unusable (counters in process memory), else 0',
    registers: [this.registry],
  });
  readonly webhookMismatches = new Counter({
    name: 'webhook_session_mismatch_total',
    help: 'Payment webhook events that contradicted the stored payment session, by field',
    labelNames: ['field'],
    registers: [this.registry],
  });

  readonly webhookEvents = new Counter({
    name: 'webhook_events_total',
    help: 'Payment webhook events by type and outcome',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });
  readonly jobsProcessed = new Counter({
    name: 'jobs_processed_total',
    help: 'Jobs processed by name and outcome (success, skipped, failed, dead)',
    labelNames: ['job', 'outcome'],
    registers: [this.registry],
  });
  readonly remindersFired = new Counter({
    name: 'reminders_fired_total',
    help: 'Reminders fired by delivery method',
    labelNames: ['method'],
    registers: [this.registry],
  });
  readonly pushDeliveries = new Counter({
    name: 'push_deliveries_total',
    help: 'Web Push deliveries by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly voiceSessions = new Counter({
    name: 'voice_sessions_total',
    help: 'Voice transcription sessions by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Adds what an event definition says it counts (`EventDefinition.counted`). */
  count({ metric, labels, value }: CountedMetric): void {
    const counter: Counter = {
      credits_granted_total: this.creditsGranted,
      ai_credits_consumed_total: this.aiCreditsConsumed,
    }[metric];
    counter.inc(labels, value);
  }
}
