import { Injectable, Logger } from '@nestjs/common';
import type { Transaction } from '@app/core/events/transaction';
import { NotificationsService } from '@app/notifications/notifications.service';
import { RecurringGenerationFailed, RecurringGenerationFailedPayload } from './template.events';

/**
 * The final failed attempt of `recurring_task_generate` (docs/rules.md §6): `recurring.generation_failed`
 * (its activity entry) and the user's `system` notification, which never undoes the entry (a failure
 * is logged, as for any tx-safe reaction).
 */
@Injectable()
export class RecurringFailureReport {
  private readonly logger = new Logger(RecurringFailureReport.name);

  constructor(private readonly notifications: NotificationsService) {}

  async report(tx: Transaction, userId: string, failure: RecurringGenerationFailedPayload, at: Date): Promise<void> {
    await tx.emit(RecurringGenerationFailed, failure, { userId, source: 'system', occurredAt: at, requestId: null });
    const { template_id: templateId, triggered_by_task_id: triggeredBy, title } = failure;
    await tx
      .savepoint(() =>
        this.notifications.create(tx, {
          userId,
          type: 'system',
          title: 'Recurring task not created',
          body: `Could not create the next occurrence of '${title}'. You can generate it from the template.`,
          actionUrl: null,
          sourceRef: `recurring_failed:${templateId}:${triggeredBy ?? at.toISOString()}`,
          createdAt: at,
        }),
      )
      .catch((error: unknown) =>
        this.logger.error(
          { template_id: templateId, user_id: userId, err: error },
          'the recurring-failure notification failed; the failure entry stands',
        ),
      );
  }
}
