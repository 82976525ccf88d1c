import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, ValidateBy } from 'class-validator';
import { OptionalNotNull, TextField } from '@app/core/validation/validators';
import { canonicalTimeZone } from '../time-zone';

function TimeZoneField(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({
      type: String,
      required: false,
      maxLength: 64,
      description: 'IANA time zone name; informational for clients (all times stay UTC)',
      example: 'Europe/London',
    }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (canonicalTimeZone(value.trim()) ?? value) : value,
    ),
    IsString({ message: 'must be a string' }),
    MaxLength(64, { message: 'must be at most 64 characters' }),
    ValidateBy({
      name: 'isTimeZone',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) === value,
        defaultMessage: () => 'must be a valid IANA time zone name (e.g. Europe/London)',
      },
    }),
  );
}

/** Body of `PATCH /users/me`: omitted fields stay unchanged, neither field may be null. */
export class UpdateUserDto {
  @OptionalNotNull()
  @TextField({
    max: 100,
    required: false,
    description: 'Display name, 1–100 characters after trimming',
    example: 'Ada Lovelace',
  })
  name?: string;

  @OptionalNotNull()
  @TimeZoneField()
  timezone?: string;
}
