import { defineEvent } from '@app/core/events/domain-event';
import type { NotificationType } from '@app/core/database/enums';

export interface NotificationCreatedPayload {
  notification_id: string;
  type: NotificationType;
}

/** Not logged (docs/rules.md §12): notification housekeeping writes no activity entry. */
export const NotificationCreated = defineEvent<NotificationCreatedPayload>('notification.created');
