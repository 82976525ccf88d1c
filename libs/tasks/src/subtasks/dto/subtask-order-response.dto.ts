import { ApiProperty } from '@nestjs/swagger';

/** One item of the reorder answer. */
export class SubtaskOrderResponseDto {
  @ApiProperty({ description: 'Subtask id', format: 'uuid', example: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a' })
  id: string;

  @ApiProperty({ description: 'New position', example: 0 })
  order_index: number;
}
