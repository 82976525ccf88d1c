import { ApiProperty } from '@nestjs/swagger';
import type { ActivityLogEntity } from '@app/core/database/entities';
import { ACTIVITY_ENTITY_TYPES, ACTIVITY_SOURCES, ActivityEntityType, ActivitySource } from '@app/core/database/enums';

/** The ActivityEntry representation (docs/api.md §2). */
export class ActivityEntryResponseDto {
  @ApiProperty({ description: 'Entry id', format: 'uuid', example: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a' })
  id: string;

  @ApiProperty({ description: 'Owner', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  user_id: string;

  @ApiProperty({
    description: 'Kind of object the entry is about',
    enum: ACTIVITY_ENTITY_TYPES,
    enumName: 'ActivityEntityType',
    example: 'task',
  })
  entity_type: ActivityEntityType;

  @ApiProperty({
    description: 'Id of that object (uuid, or an achievement id)',
    example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e',
  })
  entity_id: string;

  @ApiProperty({ description: 'Action (docs/rules.md §12)', example: 'task_completed' })
  action: string;

  @ApiProperty({ description: 'Who caused it', enum: ACTIVITY_SOURCES, enumName: 'ActivitySource', example: 'user' })
  source: ActivitySource;

  @ApiProperty({
    description: 'Action details (never note content, tokens or payment data)',
    type: 'object',
    additionalProperties: true,
    example: { completed_by: 'manual' },
  })
  metadata: Record<string, unknown>;

  @ApiProperty({
    description: 'Request that caused it',
    type: String,
    nullable: true,
    example: '8f0c3a9e-4c1e-4a44-9a3b-2f6f0b1d9c11',
  })
  request_id: string | null;

  @ApiProperty({ description: 'Time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;
}

export function toActivityEntryResponse(entry: ActivityLogEntity): ActivityEntryResponseDto {
  return {
    id: entry.id,
    user_id: entry.userId,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    action: entry.action,
    source: entry.source,
    metadata: entry.metadata,
    request_id: entry.requestId,
    created_at: entry.createdAt.toISOString(),
  };
}
