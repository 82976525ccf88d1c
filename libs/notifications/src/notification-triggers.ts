import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@app/core/events/event-bus';
import { RecurringGenerationFailed } from '@app/tasks/templates/template.events';
import { NotificationsService } from './notifications.service';

/** System notifications for events of other features (tx-safe: never undoes the change). */
@Injectable()
export class NotificationTriggers implements OnModuleInit {
  constructor(
    private readonly bus: EventBus,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.bus.on(RecurringGenerationFailed, 'tx-safe', 'notification:recurring-generation-failed', async (event, tx) => {
      const { template_id: templateId, triggered_by_task_id: triggeredBy, title } = event.payload;
      await this.notifications.create(tx, {
        userId: event.userId,
        type: 'system',
        title: 'Recurring task not created',
        body: `Could not create the next occurrence of '${title}'. You can generate it from the template.`,
        actionUrl: null,
        sourceRef: `recurring_failed:${templateId}:${triggeredBy ?? event.occurredAt.toISOString()}`,
        createdAt: event.occurredAt,
      });
    });
  }
}
