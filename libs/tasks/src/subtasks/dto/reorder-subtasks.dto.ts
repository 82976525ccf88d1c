import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayNotEmpty, ArrayUnique, IsArray, IsDefined, Matches } from 'class-validator';
import { UUID_PATTERN } from '@app/core/validation/validators';

/** Body of `PUT /tasks/{task_id}/subtasks/reorder`: every subtask id of the task exactly once. */
export class ReorderSubtasksDto {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Every subtask id of the task exactly once, in the new order',
    example: ['9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a', '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'],
  })
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id)) : value,
  )
  @IsDefined({ message: 'is required' })
  @IsArray({ message: 'must be an array of subtask ids' })
  @ArrayNotEmpty({ message: 'must not be empty' })
  @Matches(UUID_PATTERN, { each: true, message: 'must contain only UUIDs' })
  @ArrayUnique({ message: 'must not contain duplicates' })
  subtask_ids: string[];
}
