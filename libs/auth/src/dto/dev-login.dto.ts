import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, MaxLength } from 'class-validator';
import { USER_TIERS, UserTier } from '@app/core/database/enums';
import { OptionalNotNull, TextField } from '@app/core/validation/validators';

export class DevLoginDto {
  @ApiProperty({
    description: 'Email of the account; matched case-insensitively, created when unknown',
    example: 'ada@example.com',
    maxLength: 254,
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'must be a string' })
  @MaxLength(254, { message: 'must be at most 254 characters' })
  @IsEmail({}, { message: 'must be a valid email address' })
  email: string;

  @OptionalNotNull()
  @TextField({
    max: 100,
    required: false,
    description: 'Display name, used only when the account is created (default: local part of the email)',
    example: 'Ada Lovelace',
  })
  name?: string;

  @ApiProperty({
    description: '`pro` activates a subscription as a captured payment would; `free` never downgrades',
    enum: USER_TIERS,
    enumName: 'UserTier',
    required: false,
    example: 'free',
  })
  @OptionalNotNull()
  @IsIn(USER_TIERS, { message: `must be one of: ${USER_TIERS.join(', ')}` })
  tier?: UserTier;
}
