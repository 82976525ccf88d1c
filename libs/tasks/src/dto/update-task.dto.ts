import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { TaskPriority } from '@app/core/database/enums';
import { OptionalNotNull, OptionalNullable, TimestampField } from '@app/core/validation/validators';
import { DescriptionField, EstimatedDurationField, PriorityField, TitleField } from './task-fields';
import { VersionField } from './version-field';

const Flag = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ type: Boolean, required: false, description, example: true }),
    IsBoolean({ message: 'must be a boolean' }),
  );

/** Body of `PATCH /tasks/{id}` (and the deprecated PUT): every field optional (docs/api.md §5, §1.7). */
export class UpdateTaskDto {
  @OptionalNotNull()
  @VersionField()
  version?: number;

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
  @TimestampField({
    required: false,
    nullable: true,
    description: 'Due date; null clears. At most created_at + 30 days (instances exempt)',
  })
  due_date?: Date | null;

  @OptionalNullable()
  @EstimatedDurationField()
  estimated_duration?: number | null;

  @OptionalNotNull()
  @Flag('true completes (completed_by manual), false re-opens')
  completed?: boolean;

  @OptionalNotNull()
  @Flag('Soft delete (true) or restore (false)')
  hidden?: boolean;

  @OptionalNotNull()
  @Flag('Archive (true) or un-archive (false)')
  archived?: boolean;
}
