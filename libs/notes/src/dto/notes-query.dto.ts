import { IsOptional } from 'class-validator';
import { PaginationQueryDto } from '@app/core/validation/pagination-query.dto';
import { QueryBooleanField } from '@app/core/validation/validators';

/** `GET /notes` query (docs/api.md §8). */
export class NotesQueryDto extends PaginationQueryDto {
  @IsOptional()
  @QueryBooleanField({ default: false, description: 'false: only non-archived notes; true: archived and non-archived' })
  archived: boolean = false;
}
