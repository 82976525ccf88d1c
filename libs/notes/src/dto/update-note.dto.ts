import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { OptionalNotNull, TextField } from '@app/core/validation/validators';

/** Body of `PATCH /notes/{id}` (and the deprecated PUT): omitted fields stay unchanged. */
export class UpdateNoteDto {
  @OptionalNotNull()
  @TextField({
    max: 2000,
    required: false,
    description: 'Note text, 1–2000 characters after trimming',
    example: 'Call the supplier on Monday',
  })
  content?: string;

  @OptionalNotNull()
  @ApiProperty({ type: Boolean, required: false, description: 'Archive (true) or un-archive (false)', example: false })
  @IsBoolean({ message: 'must be a boolean' })
  archived?: boolean;
}
