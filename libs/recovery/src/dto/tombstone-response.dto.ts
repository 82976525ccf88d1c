import { ApiProperty } from '@nestjs/swagger';
import type { DeletionTombstoneEntity } from '@app/core/database/entities';
import { TaskDetailResponseDto, toTaskDetailResponse } from '@app/tasks/dto/task-detail-response.dto';
import { restoreSnapshot, TaskSnapshot } from '../task-snapshot';

/** The Tombstone representation (docs/api.md §2). */
export class TombstoneResponseDto {
  @ApiProperty({ description: 'Tombstone id', format: 'uuid', example: '7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f' })
  id: string;

  @ApiProperty({
    description: 'Kind of deleted resource',
    enum: ['task'],
    enumName: 'TombstoneEntityType',
    example: 'task',
  })
  entity_type: 'task';

  @ApiProperty({ description: 'Original task id', format: 'uuid', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  entity_id: string;

  @ApiProperty({ description: "The deleted task's title", example: 'Write the quarterly report' })
  title: string;

  @ApiProperty({
    description: 'The deleted task as a TaskDetail (subtasks and reminders included)',
    type: TaskDetailResponseDto,
  })
  entity_data: TaskDetailResponseDto;

  @ApiProperty({ description: 'Deletion time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  deleted_at: string;

  @ApiProperty({
    description: 'Recoverable while now < this (deleted_at + 7 days)',
    format: 'date-time',
    example: '2026-01-26T10:30:00.000Z',
  })
  recoverable_until: string;
}

export function toTombstoneResponse(tombstone: DeletionTombstoneEntity): TombstoneResponseDto {
  const { task, subtasks, reminders } = restoreSnapshot(tombstone.entityData as unknown as TaskSnapshot);
  return {
    id: tombstone.id,
    entity_type: 'task',
    entity_id: tombstone.entityId,
    title: task.title,
    entity_data: toTaskDetailResponse({
      task,
      subtasks,
      reminders,
      subtaskCount: subtasks.length,
      subtaskCompletedCount: subtasks.filter((subtask) => subtask.completed).length,
    }),
    deleted_at: tombstone.deletedAt.toISOString(),
    recoverable_until: tombstone.recoverableUntil.toISOString(),
  };
}
