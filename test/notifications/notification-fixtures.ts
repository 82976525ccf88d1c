import { UnitOfWork } from '@app/core/events/unit-of-work';
import { NewNotification, NotificationsService } from '@app/notifications/notifications.service';
import type { NotificationResponseDto } from '@app/notifications/dto/notification-response.dto';
import type { TestApp } from '../support/test-app';

/** Creates a notification through the service every feature uses (as the reminder job will). */
export function notify(t: TestApp, input: NewNotification): Promise<NotificationResponseDto | null> {
  return t.app.get(UnitOfWork).run((tx) => t.app.get(NotificationsService).create(tx, input));
}

/** Payloads of the queued `push_deliver` jobs of a notification. */
export async function pushJobsFor(t: TestApp, notificationId: string): Promise<Array<Record<string, string>>> {
  const rows: Array<{ data: Record<string, string> }> = await t.dataSource.query(
    `SELECT data FROM pgboss.job WHERE name = 'push_deliver' AND data->>'notification_id' = $1 ORDER BY created_on`,
    [notificationId],
  );
  return rows.map((row) => row.data);
}
