import { Injectable, Logger } from '@nestjs/common';
import { JOB_CATALOGUE } from '@app/core/jobs/job-catalogue';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { classifyPushStatus, PushOutcome, pushPayload } from './notification-rules';
import { NotificationsRepository } from './notifications.repository';
import { UnsafePushEndpointError } from './push-endpoint-policy';
import { PushSender, UndeliverablePushError } from './push-sender';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';

/** A retryable push failure (429, 5xx, network, timeout): the queue retries the job. */
export class PushRetryError extends Error {}

@Injectable()
export class PushDeliveryJobs {
  private readonly logger = new Logger(PushDeliveryJobs.name);

  constructor(
    private readonly sender: PushSender,
    private readonly notifications: NotificationsRepository,
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly metrics: MetricsService,
  ) {}

  /** docs/jobs.md §4 `push_deliver`: one notification to one push subscription (docs/integrations.md §5). */
  @JobHandler('push_deliver')
  async deliver(ctx: JobContext): Promise<JobResult> {
    const { notification_id: notificationId, push_subscription_id: subscriptionId } = ctx.data;
    if (!this.sender.enabled || typeof notificationId !== 'string' || typeof subscriptionId !== 'string') {
      return { status: 'skipped', result: counts() };
    }
    const [notification, subscription] = await Promise.all([
      this.notifications.findById(notificationId),
      this.subscriptions.findById(subscriptionId),
    ]);
    // A subscription re-registered by another user no longer receives this user's notifications.
    if (!notification || !subscription || subscription.userId !== notification.userId) {
      return { status: 'skipped', result: counts() };
    }
    const outcome = await this.send(subscription, notification);
    const log = { notification_id: notificationId, push_subscription_id: subscriptionId, outcome: outcome.kind };
    switch (outcome.kind) {
      case 'delivered':
        await this.subscriptions.recordSuccess(subscription.id, ctx.now);
        this.metrics.pushDeliveries.inc({ outcome: 'delivered' });
        return { status: 'success', result: counts({ delivered: 1 }) };
      case 'gone':
        await this.subscriptions.delete(subscription.id);
        this.metrics.pushDeliveries.inc({ outcome: 'removed' });
        return { status: 'success', result: counts({ removed_subscriptions: 1 }) };
      case 'rejected':
        this.logger.warn({ ...log, reason: outcome.reason }, 'push message given up');
        this.metrics.pushDeliveries.inc({ outcome: 'failed' });
        return { status: 'success', result: counts({ failed: 1 }) };
      case 'retry':
        await this.subscriptions.recordTransientFailure(subscription.id, ctx.now);
        if (ctx.attempt >= JOB_CATALOGUE.push_deliver.maxAttempts) {
          this.logger.warn(
            { ...log, reason: outcome.reason, attempt: ctx.attempt },
            'push message given up after retries',
          );
          this.metrics.pushDeliveries.inc({ outcome: 'failed' });
          return { status: 'success', result: counts({ failed: 1 }) };
        }
        this.metrics.pushDeliveries.inc({ outcome: 'retried' });
        throw new PushRetryError(`push delivery will be retried: ${outcome.reason}`);
    }
  }

  private async send(
    subscription: { endpoint: string; p256dhKey: string; authKey: string },
    notification: Parameters<typeof pushPayload>[0],
  ): Promise<{ kind: PushOutcome; reason: string }> {
    try {
      const status = await this.sender.send(
        subscription,
        pushPayload(notification),
        notification.type === 'reminder' ? 'high' : 'normal',
      );
      return { kind: classifyPushStatus(status), reason: `push service answered ${status}` };
    } catch (error) {
      const reason = (error as Error).message;
      if (error instanceof UndeliverablePushError || error instanceof UnsafePushEndpointError) {
        return { kind: 'rejected', reason };
      }
      return { kind: 'retry', reason };
    }
  }
}

function counts(
  values: Partial<Record<'delivered' | 'removed_subscriptions' | 'failed', number>> = {},
): Record<string, number> {
  return { delivered: 0, removed_subscriptions: 0, failed: 0, ...values };
}
