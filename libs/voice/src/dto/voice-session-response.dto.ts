import { ApiProperty } from '@nestjs/swagger';
import type { VoiceSessionEntity } from '@app/core/database/entities';
import {
  VOICE_SESSION_END_REASONS,
  VOICE_SESSION_STATUSES,
  VoiceSessionEndReason,
  VoiceSessionStatus,
} from '@app/core/database/enums';

/** `GET /ai/voice-sessions/{id}` (docs/api.md §10.7). */
export class VoiceSessionResponseDto {
  @ApiProperty({ description: 'Session id', format: 'uuid', example: '9c1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  id: string;

  @ApiProperty({
    enum: VOICE_SESSION_STATUSES,
    enumName: 'VoiceSessionStatus',
    description: 'Session state',
    example: 'completed',
  })
  status: VoiceSessionStatus;

  @ApiProperty({
    enum: VOICE_SESSION_END_REASONS,
    enumName: 'VoiceSessionEndReason',
    nullable: true,
    description: 'How it ended (null while active)',
    example: 'end_stream',
  })
  end_reason: VoiceSessionEndReason | null;

  @ApiProperty({ description: 'Language code', example: 'en' })
  language: string;

  @ApiProperty({ format: 'date-time', description: 'When the session started', example: '2026-01-19T10:30:00.000Z' })
  started_at: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When it ended',
    example: '2026-01-19T10:30:42.000Z',
  })
  ended_at: string | null;

  @ApiProperty({ description: 'Audio time in whole seconds (0–300)', example: 42 })
  duration_seconds: number;

  @ApiProperty({ description: 'Credits charged', example: 5 })
  credits_used: number;

  @ApiProperty({ description: 'Final transcript segments joined by spaces', example: 'Remember to call the supplier' })
  transcript: string;

  @ApiProperty({ type: String, nullable: true, description: 'WebSocket error code sent, if any', example: null })
  error_code: string | null;
}

export function toVoiceSessionResponse(session: VoiceSessionEntity): VoiceSessionResponseDto {
  return {
    id: session.id,
    status: session.status,
    end_reason: session.endReason,
    language: session.language,
    started_at: session.startedAt.toISOString(),
    ended_at: session.endedAt ? session.endedAt.toISOString() : null,
    duration_seconds: session.durationSeconds,
    credits_used: session.creditsUsed,
    transcript: session.transcript,
    error_code: session.errorCode,
  };
}
