import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ACTIVITY_ENTITY_TYPES, ACTIVITY_SOURCES, ActivityEntityType, ActivitySource } from '@app/core/database/enums';
import { PaginationQueryDto } from '@app/core/validation/pagination-query.dto';
import { TimestampField } from '@app/core/validation/validators';

/** Query of `GET /activity` (docs/api.md §16). */
export class ListActivityQueryDto extends PaginationQueryDto {
  @IsOptional()
  @ApiProperty({
    enum: ACTIVITY_ENTITY_TYPES,
    enumName: 'ActivityEntityType',
    required: false,
    description: 'Only entries about this kind of object',
  })
  @IsIn(ACTIVITY_ENTITY_TYPES, { message: `must be one of ${ACTIVITY_ENTITY_TYPES.join(', ')}` })
  entity_type?: ActivityEntityType;

  @IsOptional()
  @ApiProperty({ required: false, maxLength: 64, description: 'Only entries about this object id' })
  @IsString({ message: 'must be a string' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  entity_id?: string;

  @IsOptional()
  @ApiProperty({
    required: false,
    maxLength: 64,
    description: 'Only this action (docs/rules.md §12)',
    example: 'task_completed',
  })
  @IsString({ message: 'must be a string' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  action?: string;

  @IsOptional()
  @ApiProperty({
    enum: ACTIVITY_SOURCES,
    enumName: 'ActivitySource',
    required: false,
    description: 'Only entries with this source',
  })
  @IsIn(ACTIVITY_SOURCES, { message: `must be one of ${ACTIVITY_SOURCES.join(', ')}` })
  source?: ActivitySource;

  @IsOptional()
  @TimestampField({ required: false, description: 'created_at ≥ since (inclusive)' })
  since?: Date;

  @IsOptional()
  @TimestampField({ required: false, description: 'created_at ≤ until (inclusive)' })
  until?: Date;
}
