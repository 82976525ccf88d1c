import type { TaskPriority } from '@app/core/database/enums';
import { OptionalNotNull, OptionalNullable, TimestampField } from '@app/core/validation/validators';
import { DescriptionField, EstimatedDurationField, PriorityField, TitleField } from './task-fields';

/** Body of `POST /tasks` (docs/api.md §5). */
export class CreateTaskDto {
  @TitleField(true)
  title: string;

  @OptionalNullable()
  @DescriptionField()
  description?: string | null;

  @OptionalNotNull()
  @PriorityField()
  priority?: TaskPriority;

  @OptionalNullable()
  @TimestampField({
    required: false,
    nullable: true,
    description: 'Due date; at most 30 days from now, past values allowed',
  })
  due_date?: Date | null;

  @OptionalNullable()
  @EstimatedDurationField()
  estimated_duration?: number | null;
}
