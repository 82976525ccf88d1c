import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import { OptionalNotNull, UuidField } from '@app/core/validation/validators';
import { CreateTaskDto } from '@app/tasks/dto/create-task.dto';
import { UpdateTaskDto } from '@app/tasks/dto/update-task.dto';
import { VersionField } from '@app/tasks/dto/version-field';
import { CreateSubtaskDto } from '@app/tasks/subtasks/dto/create-subtask.dto';

export const CONFIRMABLE_ACTIONS = [
  'create_task',
  'update_task',
  'complete_task',
  'create_subtasks',
  'convert_note',
] as const;
export type ConfirmableAction = (typeof CONFIRMABLE_ACTIONS)[number];

/** Body of `POST /ai/confirm-action` (docs/api.md §10.5); `action_data` is validated per action type. */
export class ConfirmActionDto {
  @ApiProperty({
    enum: CONFIRMABLE_ACTIONS,
    enumName: 'ConfirmableAction',
    description: 'The suggestion to execute',
    example: 'complete_task',
  })
  @IsString({ message: 'must be a string' })
  action_type: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The action fields (see the table of docs/api.md §10.5)',
    example: { task_id: '6f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' },
  })
  @IsObject({ message: 'must be an object' })
  action_data: Record<string, unknown>;
}

/** `update_task`: `task_id`, optional `version`, any `PATCH /tasks` field. */
export class ConfirmUpdateTaskData extends UpdateTaskDto {
  @UuidField({ description: 'Task to update' })
  task_id: string;
}

/** `complete_task`: `task_id`, optional `version`. */
export class ConfirmCompleteTaskData {
  @UuidField({ description: 'Task to complete' })
  task_id: string;

  @OptionalNotNull()
  @VersionField()
  version?: number;
}

/** `create_subtasks`: `task_id` and 1–10 `{title}`. */
export class ConfirmCreateSubtasksData {
  @UuidField({ description: 'Parent task' })
  task_id: string;

  @ApiProperty({ type: [CreateSubtaskDto], minItems: 1, maxItems: 10, description: 'Subtasks to create (source ai)' })
  @IsArray({ message: 'must be an array' })
  @ArrayMinSize(1, { message: 'must have at least 1 item' })
  @ArrayMaxSize(10, { message: 'must have at most 10 items' })
  @ValidateNested({ each: true })
  @Type(() => CreateSubtaskDto)
  subtasks: CreateSubtaskDto[];
}

/** The task of `convert_note`: the fields of `POST /tasks` plus suggested subtasks. */
export class ConvertNoteTaskData extends CreateTaskDto {
  @IsOptional()
  @ApiProperty({ type: [CreateSubtaskDto], required: false, maxItems: 10, description: 'Subtasks (source ai)' })
  @IsArray({ message: 'must be an array' })
  @ArrayMaxSize(10, { message: 'must have at most 10 items' })
  @ValidateNested({ each: true })
  @Type(() => CreateSubtaskDto)
  subtasks?: CreateSubtaskDto[];
}

/** `convert_note`: `note_id`, `task`, `archive_note` (default true). */
export class ConfirmConvertNoteData {
  @UuidField({ description: 'Note to convert' })
  note_id: string;

  @ApiProperty({ type: ConvertNoteTaskData, description: 'The task to create' })
  @IsObject({ message: 'must be an object' })
  @ValidateNested()
  @Type(() => ConvertNoteTaskData)
  task: ConvertNoteTaskData;

  @OptionalNotNull()
  @ApiProperty({
    type: Boolean,
    required: false,
    default: true,
    description: 'Archive the note afterwards',
    example: true,
  })
  @IsBoolean({ message: 'must be a boolean' })
  archive_note?: boolean;
}
