import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { UuidField } from '@app/core/validation/validators';
import { HttpUrlField } from '@app/notes/dto/http-url.field';

/** Body of `POST /ai/transcribe` (docs/api.md §10.4). */
export class TranscribeDto {
  @HttpUrlField({
    description: 'Audio URL the speech provider downloads',
    example: 'https://cdn.example.com/voice/123.webm',
  })
  audio_url: string;

  @ApiProperty({
    description: 'Declared length in seconds, 1–300 (above 300: 400 AUDIO_DURATION_EXCEEDED)',
    minimum: 1,
    maximum: 300,
    example: 45,
  })
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  duration_seconds: number;

  @IsOptional()
  @ApiProperty({
    type: String,
    required: false,
    default: 'en',
    description: 'BCP-47 code (2–16 letters, digits, -)',
    example: 'en',
  })
  @IsString({ message: 'must be a string' })
  @Matches(/^[A-Za-z0-9-]{2,16}$/, { message: 'must be 2–16 letters, digits or dashes' })
  language?: string;

  @IsOptional()
  @UuidField({ required: false, description: 'Note whose transcription_text receives the transcript' })
  note_id?: string;
}

export class TranscriptionResponseDto {
  @ApiProperty({ description: 'The transcript (may be empty)', example: 'Buy milk and eggs' })
  transcription: string;

  @ApiProperty({ description: 'Detected or requested language', example: 'en' })
  language: string;

  @ApiProperty({ description: 'Provider confidence 0–1', example: 0.95 })
  confidence: number;

  @ApiProperty({ description: 'The declared duration in seconds', example: 45 })
  duration_seconds: number;

  @ApiProperty({ description: 'Credits charged (5 per started minute)', example: 5 })
  credits_used: number;

  @ApiProperty({ description: 'Total balance after the charge', example: 95 })
  credits_remaining: number;
}
