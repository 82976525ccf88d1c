import type { TaskPriority } from '@app/core/database/enums';
import { OptionalNotNull, OptionalNullable, TextField, TimestampField } from '@app/core/validation/validators';
import { DescriptionField, EstimatedDurationField, PriorityField, TitleField } from '../../dto/task-fields';

export const RruleField = (required: boolean): PropertyDecorator =>
  TextField({
    max: 500,
    required,
    description:
      'RFC 5545 RRULE (optional RRULE: prefix): FREQ plus INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS, COUNT, UNTIL, WKST',
    example: 'FREQ=WEEKLY;BYDAY=MO,WE',
  });

/** Body of `POST /templates` (docs/api.md §7). */
export class CreateTemplateDto {
  @TitleField(true)
  title: string;

  @OptionalNullable()
  @DescriptionField()
  description?: string | null;

  @OptionalNotNull()
  @PriorityField()
  priority?: TaskPriority;

  @OptionalNullable()
  @EstimatedDurationField()
  estimated_duration?: number | null;

  @RruleField(true)
  rrule: string;

  @OptionalNotNull()
  @TimestampField({
    required: false,
    description: 'Recurrence anchor (time of day, weekday/monthday); default now truncated to the second',
  })
  dtstart?: Date;
}
