import { UuidField } from '@app/core/validation/validators';

export class NotificationIdParam {
  @UuidField({ description: 'Notification id' })
  id: string;
}
