import { IsOptional } from 'class-validator';
import { QueryIntField } from './validators';

/** `offset` ≥ 0 (default 0) and `limit` 1–100 (default 25); out of range is a 400 (docs/api.md §1.6). */
export class PaginationQueryDto {
  @IsOptional()
  @QueryIntField(0, Number.MAX_SAFE_INTEGER, { default: 0, description: 'Items to skip' })
  offset: number = 0;

  @IsOptional()
  @QueryIntField(1, 100, { default: 25, description: 'Page size (1–100)' })
  limit: number = 25;
}
