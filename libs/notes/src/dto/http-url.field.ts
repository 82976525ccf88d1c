import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, MaxLength } from 'class-validator';
import type { ApiFieldOptions } from '@app/core/validation/validators';

/** An absolute http(s) URL of at most 2048 characters (docs/rules.md §15). */
export function HttpUrlField(api: ApiFieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, format: 'uri', maxLength: 2048, ...api }),
    IsString({ message: 'must be a string' }),
    MaxLength(2048, { message: 'must be at most 2048 characters' }),
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: true, require_tld: false, require_host: true },
      { message: 'must be an http(s) URL' },
    ),
  );
}
