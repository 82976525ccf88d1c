import { ApiProperty } from '@nestjs/swagger';
import type { UserEntity } from '@app/core/database/entities';
import { USER_TIERS, UserTier } from '@app/core/database/enums';

/** The User representation (docs/api.md §2). */
export class UserResponseDto {
  @ApiProperty({ description: 'User id', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  id: string;

  @ApiProperty({
    description: 'Google account id (`sub`); `dev:<email>` for dev-login accounts',
    example: '109876543210987654321',
  })
  google_id: string;

  @ApiProperty({ description: 'Email address', example: 'ada@example.com' })
  email: string;

  @ApiProperty({
    description: 'Display name (1–100 characters)',
    example: 'Ada Lovelace',
    minLength: 1,
    maxLength: 100,
  })
  name: string;

  @ApiProperty({
    description: 'Avatar image URL',
    type: String,
    nullable: true,
    example: 'https://lh3.googleusercontent.com/a/avatar.png',
  })
  avatar_url: string | null;

  @ApiProperty({ description: 'IANA time zone name, informational for clients', example: 'Europe/London' })
  timezone: string;

  @ApiProperty({
    description: 'Current tier, derived from the subscription',
    enum: USER_TIERS,
    enumName: 'UserTier',
    example: 'free',
  })
  tier: UserTier;

  @ApiProperty({ description: 'Creation time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ description: 'Last update time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  updated_at: string;
}

export function toUserResponse(user: UserEntity): UserResponseDto {
  return {
    id: user.id,
    google_id: user.googleId,
    email: user.email,
    name: user.name,
    avatar_url: user.avatarUrl,
    timezone: user.timezone,
    tier: user.tier,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}
