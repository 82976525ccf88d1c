import { IsIn, IsOptional } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { TASK_PRIORITIES, TaskPriority } from '@app/core/database/enums';
import { PaginationQueryDto } from '@app/core/validation/pagination-query.dto';
import { QueryBooleanField, TextField, TimestampField, UuidField } from '@app/core/validation/validators';

/** Query of `GET /tasks` (docs/api.md §5). */
export class ListTasksQueryDto extends PaginationQueryDto {
  @IsOptional()
  @QueryBooleanField({ description: 'Filter on completion' })
  completed?: boolean;

  @IsOptional()
  @ApiProperty({ enum: TASK_PRIORITIES, enumName: 'TaskPriority', required: false, description: 'Filter on priority' })
  @IsIn(TASK_PRIORITIES, { message: `must be one of ${TASK_PRIORITIES.join(', ')}` })
  priority?: TaskPriority;

  @IsOptional()
  @QueryBooleanField({ default: false, description: 'false: visible tasks only; true: hidden and visible tasks' })
  hidden: boolean = false;

  @IsOptional()
  @QueryBooleanField({ description: 'true: only archived; false: only non-archived; absent: both' })
  archived?: boolean;

  @IsOptional()
  @UuidField({ required: false, description: 'Only instances of this template' })
  template_id?: string;

  @IsOptional()
  @TimestampField({ required: false, description: 'due_date ≤ value (tasks without due date excluded)' })
  due_before?: Date;

  @IsOptional()
  @TimestampField({ required: false, description: 'due_date ≥ value (tasks without due date excluded)' })
  due_after?: Date;

  @IsOptional()
  @TextField({ max: 200, required: false, description: 'Only tasks whose title or description contains it (any case)' })
  search?: string;
}
