import { ApiProperty } from '@nestjs/swagger';
import { ACCESS_TOKEN_SCOPES, AccessTokenScope } from '@app/core/database/enums';
import type { PersonalAccessTokenEntity } from '@app/core/database/entities';

/** A personal access token as listed: never its secret (docs/access-tokens.md §1). */
export class AccessTokenResponseDto {
  @ApiProperty({ format: 'uuid', example: '7d7c3a52-6a51-4c59-9d3e-0f1f1c2b3a4d' })
  id: string;

  @ApiProperty({ example: 'Claude Desktop' })
  name: string;

  @ApiProperty({ enum: ACCESS_TOKEN_SCOPES, enumName: 'AccessTokenScope', isArray: true, example: ['read', 'write'] })
  scopes: AccessTokenScope[];

  @ApiProperty({ description: 'The first characters of the secret, to tell tokens apart', example: 'pf_pat_q3Jc' })
  token_hint: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null: never expires' })
  expires_at: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'Last request made with the token, to the minute; null: never used',
  })
  last_used_at: string | null;

  @ApiProperty({ description: 'Whether the expiry has passed (the token no longer works)', example: false })
  expired: boolean;
}

/** The answer to a creation: the only time the secret is shown. */
export class CreatedAccessTokenResponseDto extends AccessTokenResponseDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The secret, to send as `Authorization: Bearer …`; shown only in this response (null in a replay of the same Idempotency-Key)',
    example: 'pf_pat_q3Jc0n8cV2m5vE1x9pZr7tYb4sKd6fHw2LgA0uNeQiM',
  })
  token: string | null;
}

export function toAccessTokenResponse(token: PersonalAccessTokenEntity, now: Date): AccessTokenResponseDto {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    token_hint: token.tokenHint,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt?.toISOString() ?? null,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    expired: token.expiresAt !== null && token.expiresAt <= now,
  };
}
