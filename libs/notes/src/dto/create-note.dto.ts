import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { OptionalNullable, TextField } from '@app/core/validation/validators';
import { HttpUrlField } from './http-url.field';

/** Body of `POST /notes` (docs/api.md §8). */
export class CreateNoteDto {
  @TextField({
    max: 2000,
    description: 'Note text, 1–2000 characters after trimming',
    example: 'Call the supplier about delivery',
  })
  content: string;

  @OptionalNullable()
  @HttpUrlField({ required: false, nullable: true, description: 'Audio URL of a voice note (Pro only)', example: null })
  voice_url?: string | null;

  @OptionalNullable()
  @ApiProperty({
    type: Number,
    required: false,
    nullable: true,
    minimum: 1,
    maximum: 300,
    description: 'Recording length in seconds; required with `voice_url` and allowed only with it',
    example: null,
  })
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(300, { message: 'must be at most 300' })
  voice_duration_seconds?: number | null;
}
