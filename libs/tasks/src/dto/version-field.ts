import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Min } from 'class-validator';

/** Optional optimistic-locking version (docs/api.md §1.7): absent means last write wins. */
export const VersionField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty({
      type: Number,
      required: false,
      minimum: 1,
      description: 'Expected current version; a different stored version answers 409 CONFLICT',
      example: 3,
    }),
    IsInt({ message: 'must be an integer' }),
    Min(1, { message: 'must be at least 1' }),
  );
