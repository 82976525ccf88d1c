import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UnlockedAchievementDto } from '@app/achievements/dto/unlocked-achievement.dto';
import { NoteResponseDto } from '@app/notes/dto/note-response.dto';
import { TaskDetailResponseDto } from '@app/tasks/dto/task-detail-response.dto';
import { TaskResponseDto } from '@app/tasks/dto/task-response.dto';
import { SubtaskResponseDto } from '@app/tasks/subtasks/dto/subtask-response.dto';
import { CONFIRMABLE_ACTIONS, ConfirmableAction } from './confirm-action.dto';

/**
 * `POST /ai/confirm-action` answer (docs/api.md §10.5). Members by action: `create_task` → task;
 * `update_task` → task, unlocked_achievements; `complete_task` → task (TaskDetail),
 * unlocked_achievements, streak; `create_subtasks` → subtasks; `convert_note` → task (TaskDetail),
 * note, unlocked_achievements.
 */
export class ConfirmActionResponseDto {
  @ApiProperty({
    enum: CONFIRMABLE_ACTIONS,
    enumName: 'ConfirmableAction',
    description: 'The executed action',
    example: 'complete_task',
  })
  action_type: ConfirmableAction;

  @ApiPropertyOptional({
    type: TaskDetailResponseDto,
    description: 'The created or changed task (TaskDetail for complete_task and convert_note)',
  })
  task?: TaskResponseDto | TaskDetailResponseDto;

  @ApiPropertyOptional({ type: [SubtaskResponseDto], description: 'create_subtasks: the created subtasks' })
  subtasks?: SubtaskResponseDto[];

  @ApiPropertyOptional({ type: NoteResponseDto, description: 'convert_note: the converted note' })
  note?: NoteResponseDto;

  @ApiPropertyOptional({ type: [UnlockedAchievementDto], description: 'Achievements unlocked by the action' })
  unlocked_achievements?: UnlockedAchievementDto[];

  @ApiPropertyOptional({ description: 'complete_task: the current streak', example: 3 })
  streak?: number;
}
