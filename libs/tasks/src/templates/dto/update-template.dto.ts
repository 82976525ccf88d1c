import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { TaskPriority } from '@app/core/database/enums';
import { OptionalNotNull, OptionalNullable, TimestampField } from '@app/core/validation/validators';
import { DescriptionField, EstimatedDurationField, PriorityField, TitleField } from '../../dto/task-fields';
import { RruleField } from './create-template.dto';

/** Body of `PATCH /templates/{id}` (docs/api.md §7): every field optional. */
export class UpdateTemplateDto {
  @OptionalNotNull()
  @TitleField(false)
  title?: string;

  @OptionalNullable()
  @DescriptionField()
  description?: string | null;

  @OptionalNotNull()
  @PriorityField()
  priority?: TaskPriority;

  @OptionalNullable()
  @EstimatedDurationField()
  estimated_duration?: number | null;

  @OptionalNotNull()
  @RruleField(false)
  rrule?: string;

  @OptionalNotNull()
  @TimestampField({ required: false, description: 'New recurrence anchor' })
  dtstart?: Date;

  @OptionalNotNull()
  @ApiProperty({
    type: Boolean,
    required: false,
    description: 'false stops generation; true re-activates',
    example: true,
  })
  @IsBoolean({ message: 'must be a boolean' })
  active?: boolean;

  @OptionalNotNull()
  @ApiProperty({
    type: Boolean,
    required: false,
    default: true,
    description:
      'false also applies title, description, priority and estimated_duration to incomplete, non-archived instances',
    example: true,
  })
  @IsBoolean({ message: 'must be a boolean' })
  apply_to_future_only?: boolean;
}
