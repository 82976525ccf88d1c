import { ApiProperty } from '@nestjs/swagger';
import type { SubtaskEntity } from '@app/core/database/entities';
import { SUBTASK_SOURCES, SubtaskSource } from '@app/core/database/enums';

/** The Subtask representation (docs/api.md §2). */
export class SubtaskResponseDto {
  @ApiProperty({ description: 'Subtask id', format: 'uuid', example: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a' })
  id: string;

  @ApiProperty({ description: 'Parent task', format: 'uuid', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  task_id: string;

  @ApiProperty({ description: 'Title (1–200 characters)', example: 'Collect the numbers' })
  title: string;

  @ApiProperty({ description: 'Completed', example: false })
  completed: boolean;

  @ApiProperty({
    description: 'Completion time (UTC)',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  completed_at: string | null;

  @ApiProperty({ description: 'Position within the task (0…n−1, gapless)', example: 0 })
  order_index: number;

  @ApiProperty({ description: 'Who created it', enum: SUBTASK_SOURCES, enumName: 'SubtaskSource', example: 'user' })
  source: SubtaskSource;

  @ApiProperty({ description: 'Creation time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ description: 'Last update time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  updated_at: string;
}

export function toSubtaskResponse(subtask: SubtaskEntity): SubtaskResponseDto {
  return {
    id: subtask.id,
    task_id: subtask.taskId,
    title: subtask.title,
    completed: subtask.completed,
    completed_at: subtask.completedAt ? subtask.completedAt.toISOString() : null,
    order_index: subtask.orderIndex,
    source: subtask.source,
    created_at: subtask.createdAt.toISOString(),
    updated_at: subtask.updatedAt.toISOString(),
  };
}
