import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { SYNC_ENTITY_TYPES, SyncEntityType } from '@app/core/database/entities/sync-change.entity';
import { NoteResponseDto } from '@app/notes/dto/note-response.dto';
import { ReminderResponseDto } from '@app/tasks/dto/reminder-response.dto';
import { SubtaskResponseDto } from '@app/tasks/subtasks/dto/subtask-response.dto';
import { TaskResponseDto } from '@app/tasks/dto/task-response.dto';
import { TemplateResponseDto } from '@app/tasks/templates/dto/template-response.dto';

export type SyncEntityData =
  TaskResponseDto | SubtaskResponseDto | ReminderResponseDto | NoteResponseDto | TemplateResponseDto;

/** One entity that changed: its current representation, or a tombstone (`deleted: true`, `data: null`). */
@ApiExtraModels(TaskResponseDto, SubtaskResponseDto, ReminderResponseDto, NoteResponseDto, TemplateResponseDto)
export class SyncChangeDto {
  @ApiProperty({ description: 'Kind of entity', enum: SYNC_ENTITY_TYPES, enumName: 'SyncEntityType', example: 'task' })
  type: SyncEntityType;

  @ApiProperty({ description: 'Entity id', format: 'uuid', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  id: string;

  @ApiProperty({ description: 'true: the entity no longer exists (remove it locally)', example: false })
  deleted: boolean;

  @ApiProperty({
    description: 'When the change was written (UTC); informational, ordering is by cursor',
    format: 'date-time',
    example: '2026-01-19T10:30:00.000Z',
  })
  changed_at: string;

  @ApiProperty({
    description:
      'The current representation (Task, Subtask, Reminder, Note or Template as in docs/api.md §2, by `type`); null for deletions',
    nullable: true,
    oneOf: [
      { $ref: getSchemaPath(TaskResponseDto) },
      { $ref: getSchemaPath(SubtaskResponseDto) },
      { $ref: getSchemaPath(ReminderResponseDto) },
      { $ref: getSchemaPath(NoteResponseDto) },
      { $ref: getSchemaPath(TemplateResponseDto) },
    ],
  })
  data: SyncEntityData | null;
}

/** One page of the changes feed. */
export class SyncPageDto {
  @ApiProperty({
    description: 'Changes in cursor order; an entity appears once per page at most',
    type: [SyncChangeDto],
  })
  changes: SyncChangeDto[];

  @ApiProperty({
    description: 'Opaque cursor to send as `since` next time (also when `changes` is empty)',
    example: 'djEuNzQ1LjEyMDMuMTc3MjM1MjAwMA',
  })
  next_cursor: string;

  @ApiProperty({
    description: 'true: more changes are ready now; ask again at once with `next_cursor`',
    example: false,
  })
  has_more: boolean;
}
