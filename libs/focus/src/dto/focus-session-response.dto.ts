import { ApiProperty } from '@nestjs/swagger';
import type { FocusSessionEntity } from '@app/core/database/entities';

/** The FocusSession representation (docs/api.md §2). */
export class FocusSessionResponseDto {
  @ApiProperty({ description: 'Session id', format: 'uuid', example: '0b7c5d1e-2f3a-4b6c-8d9e-0f1a2b3c4d5e' })
  id: string;

  @ApiProperty({ description: 'Owner', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  user_id: string;

  @ApiProperty({ description: 'Task worked on', format: 'uuid', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  task_id: string;

  @ApiProperty({ description: 'Start (server clock, UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  started_at: string;

  @ApiProperty({
    description: 'End (UTC); null while active',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  ended_at: string | null;

  @ApiProperty({
    description: 'Credited seconds (0–43 200); null until ended',
    type: Number,
    nullable: true,
    example: null,
  })
  duration_seconds: number | null;

  @ApiProperty({ description: 'Creation time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ description: 'Last update time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  updated_at: string;
}

export function toFocusSessionResponse(session: FocusSessionEntity): FocusSessionResponseDto {
  return {
    id: session.id,
    user_id: session.userId,
    task_id: session.taskId,
    started_at: session.startedAt.toISOString(),
    ended_at: session.endedAt ? session.endedAt.toISOString() : null,
    duration_seconds: session.durationSeconds,
    created_at: session.createdAt.toISOString(),
    updated_at: session.updatedAt.toISOString(),
  };
}
