import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { QueryIntField } from '@app/core/validation/validators';

export const SYNC_DEFAULT_LIMIT = 100;
export const SYNC_MAX_LIMIT = 500;

/** `GET /api/v1/sync` query (docs/sync.md). */
export class SyncQueryDto {
  @ApiPropertyOptional({
    description: '`next_cursor` of the previous page; omitted on the first synchronisation (everything current)',
    example: 'djEuNzQ1LjEyMDMuMTc3MjM1MjAwMA',
  })
  @IsOptional()
  @IsString({ message: 'must be a cursor returned by this endpoint' })
  since?: string;

  @IsOptional()
  @QueryIntField(1, SYNC_MAX_LIMIT, { default: SYNC_DEFAULT_LIMIT, description: `Page size (1–${SYNC_MAX_LIMIT})` })
  limit: number = SYNC_DEFAULT_LIMIT;
}
