import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { OptionalNotNull, TextField } from '@app/core/validation/validators';

/** Body of `PATCH`/`PUT /subtasks/{id}`. */
export class UpdateSubtaskDto {
  @OptionalNotNull()
  @TextField({
    max: 200,
    required: false,
    description: 'Title, 1–200 characters after trimming',
    example: 'Collect the numbers',
  })
  title?: string;

  @OptionalNotNull()
  @ApiProperty({
    type: Boolean,
    required: false,
    description: 'true sets completed_at (kept when already completed); false clears it',
    example: true,
  })
  @IsBoolean({ message: 'must be a boolean' })
  completed?: boolean;
}
