import { IsDefined, ValidateIf } from 'class-validator';
import type { ReminderMethod, ReminderType } from '@app/core/database/enums';
import { OptionalNotNull, TimestampField } from '@app/core/validation/validators';
import { OffsetMinutesField, ReminderMethodField, ReminderTypeField } from './reminder-fields';

/** Body of `POST /tasks/{task_id}/reminders`. */
export class CreateReminderDto {
  @ReminderTypeField(true)
  type: ReminderType;

  @ValidateIf((dto: CreateReminderDto) => dto.type !== 'absolute')
  @IsDefined({ message: 'is required for before/after reminders' })
  @OffsetMinutesField()
  offset_minutes?: number;

  @ValidateIf((dto: CreateReminderDto) => dto.type === 'absolute')
  @IsDefined({ message: 'is required for absolute reminders' })
  @TimestampField({ required: false, description: 'Required for absolute; ignored (computed) for before/after' })
  scheduled_at?: Date;

  @OptionalNotNull()
  @ReminderMethodField()
  method?: ReminderMethod;
}
