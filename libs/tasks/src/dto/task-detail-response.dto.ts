import { ApiProperty } from '@nestjs/swagger';
import type { ReminderEntity, SubtaskEntity } from '@app/core/database/entities';
import { ReminderResponseDto, toReminderResponse } from './reminder-response.dto';
import { SubtaskResponseDto, toSubtaskResponse } from '../subtasks/dto/subtask-response.dto';
import { TaskResponseDto, TaskView, toTaskResponse } from './task-response.dto';

/** TaskDetail (docs/api.md §2): the task with its subtasks (by order_index) and reminders (by scheduled_at). */
export class TaskDetailResponseDto extends TaskResponseDto {
  @ApiProperty({ description: 'Subtasks by order_index', type: [SubtaskResponseDto] })
  subtasks: SubtaskResponseDto[];

  @ApiProperty({ description: 'Reminders by scheduled_at', type: [ReminderResponseDto] })
  reminders: ReminderResponseDto[];
}

/** The parts of a TaskDetail; subtasks and reminders already in their documented order. */
export interface TaskDetailView extends TaskView {
  subtasks: SubtaskEntity[];
  reminders: ReminderEntity[];
}

export function toTaskDetailResponse(view: TaskDetailView): TaskDetailResponseDto {
  return {
    ...toTaskResponse(view),
    subtasks: view.subtasks.map(toSubtaskResponse),
    reminders: view.reminders.map(toReminderResponse),
  };
}
