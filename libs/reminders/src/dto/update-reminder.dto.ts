import { ValidateIf } from 'class-validator';
import type { ReminderMethod, ReminderType } from '@app/core/database/enums';
import { OptionalNotNull, TimestampField } from '@app/core/validation/validators';
import { OffsetMinutesField, ReminderMethodField, ReminderTypeField } from './reminder-fields';

/** Body of `PATCH /reminders/{id}`: all optional; the resulting combination must be valid. */
export class UpdateReminderDto {
  @OptionalNotNull()
  @ReminderTypeField(false)
  type?: ReminderType;

  @ValidateIf((dto: UpdateReminderDto) => dto.offset_minutes !== undefined && dto.type !== 'absolute')
  @OffsetMinutesField()
  offset_minutes?: number;

  @ValidateIf(
    (dto: UpdateReminderDto) => dto.scheduled_at !== undefined && dto.type !== 'before' && dto.type !== 'after',
  )
  @TimestampField({
    required: false,
    description: 'New time of an absolute reminder (required when switching to absolute)',
  })
  scheduled_at?: Date;

  @OptionalNotNull()
  @ReminderMethodField()
  method?: ReminderMethod;
}
