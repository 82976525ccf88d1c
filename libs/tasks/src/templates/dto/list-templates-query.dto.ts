import { IsOptional } from 'class-validator';
import { PaginationQueryDto } from '@app/core/validation/pagination-query.dto';
import { QueryBooleanField } from '@app/core/validation/validators';

/** Query of `GET /templates`. */
export class ListTemplatesQueryDto extends PaginationQueryDto {
  @IsOptional()
  @QueryBooleanField({ default: false, description: 'Include inactive templates' })
  include_inactive: boolean = false;
}
