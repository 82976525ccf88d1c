import { ApiProperty } from '@nestjs/swagger';
import type { PushSubscriptionEntity } from '@app/core/database/entities';

export class PushSubscriptionResponseDto {
  @ApiProperty({ description: 'Push subscription id', format: 'uuid', example: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e' })
  id: string;

  @ApiProperty({ description: 'Push service URL', example: 'https://fcm.googleapis.com/fcm/send/abc123' })
  endpoint: string;

  @ApiProperty({ description: 'Registration time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({
    description: 'Last successful delivery',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  last_used_at: string | null;
}

export function toPushSubscriptionResponse(entity: PushSubscriptionEntity): PushSubscriptionResponseDto {
  return {
    id: entity.id,
    endpoint: entity.endpoint,
    created_at: entity.createdAt.toISOString(),
    last_used_at: entity.lastUsedAt?.toISOString() ?? null,
  };
}
