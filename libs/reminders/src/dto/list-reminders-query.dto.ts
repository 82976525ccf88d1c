import { IsOptional } from 'class-validator';
import { PaginationQueryDto } from '@app/core/validation/pagination-query.dto';
import { QueryBooleanField, UuidField } from '@app/core/validation/validators';

/** Query of `GET /reminders`. */
export class ListRemindersQueryDto extends PaginationQueryDto {
  @IsOptional()
  @UuidField({ required: false, description: "Only this task's reminders (unknown or another user's task: none)" })
  task_id?: string;

  @IsOptional()
  @QueryBooleanField({ description: 'false: pending only; true: fired or skipped only' })
  fired?: boolean;
}
