import { ApiProperty } from '@nestjs/swagger';
import type { NoteEntity } from '@app/core/database/entities';
import { TRANSCRIPTION_STATUSES, TranscriptionStatus } from '@app/core/database/enums';

/** The Note representation (docs/api.md §2). */
export class NoteResponseDto {
  @ApiProperty({ description: 'Note id', format: 'uuid', example: '5b1f2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  id: string;

  @ApiProperty({ description: 'Owner', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  user_id: string;

  @ApiProperty({
    description: 'Text (1–2000 characters); never overwritten by transcription',
    example: 'Call the supplier about delivery',
  })
  content: string;

  @ApiProperty({ description: 'Archived notes are read-only until un-archived', example: false })
  archived: boolean;

  @ApiProperty({
    description: 'Client-provided audio URL of a voice note',
    type: String,
    nullable: true,
    example: null,
  })
  voice_url: string | null;

  @ApiProperty({ description: 'Recording length in seconds (1–300)', type: Number, nullable: true, example: null })
  voice_duration_seconds: number | null;

  @ApiProperty({
    description: 'Transcription state',
    enum: TRANSCRIPTION_STATUSES,
    enumName: 'TranscriptionStatus',
    nullable: true,
    example: null,
  })
  transcription_status: TranscriptionStatus | null;

  @ApiProperty({
    description: 'Transcript written by `POST /ai/transcribe`',
    type: String,
    nullable: true,
    example: null,
  })
  transcription_text: string | null;

  @ApiProperty({
    description: 'Task created from this note by `convert_note`',
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
  })
  converted_task_id: string | null;

  @ApiProperty({ description: 'Creation time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ description: 'Last update time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  updated_at: string;
}

export function toNoteResponse(note: NoteEntity): NoteResponseDto {
  return {
    id: note.id,
    user_id: note.userId,
    content: note.content,
    archived: note.archived,
    voice_url: note.voiceUrl,
    voice_duration_seconds: note.voiceDurationSeconds,
    transcription_status: note.transcriptionStatus,
    transcription_text: note.transcriptionText,
    converted_task_id: note.convertedTaskId,
    created_at: note.createdAt.toISOString(),
    updated_at: note.updatedAt.toISOString(),
  };
}
