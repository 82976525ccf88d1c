import { ApiProperty } from '@nestjs/swagger';
import type { TaskEntity } from '@app/core/database/entities';
import { TASK_COMPLETION_MODES, TASK_PRIORITIES, TaskCompletionMode, TaskPriority } from '@app/core/database/enums';

/** A task with the subtask counts every Task representation carries. */
export interface TaskView {
  task: TaskEntity;
  subtaskCount: number;
  subtaskCompletedCount: number;
}

/** The Task representation (docs/api.md §2): list item and base of every response carrying a task. */
export class TaskResponseDto {
  @ApiProperty({ description: 'Task id', format: 'uuid', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  id: string;

  @ApiProperty({ description: 'Owner', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  user_id: string;

  @ApiProperty({
    description: 'Recurring template this instance belongs to',
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
  })
  template_id: string | null;

  @ApiProperty({ description: 'Title (1–200 characters)', example: 'Write the quarterly report' })
  title: string;

  @ApiProperty({ description: 'Description ("" when empty)', example: 'Include the churn numbers' })
  description: string;

  @ApiProperty({ description: 'Priority', enum: TASK_PRIORITIES, enumName: 'TaskPriority', example: 'medium' })
  priority: TaskPriority;

  @ApiProperty({
    description: 'Due date (UTC)',
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-01-25T17:00:00.000Z',
  })
  due_date: string | null;

  @ApiProperty({ description: 'Estimate in minutes (1–720)', type: Number, nullable: true, example: 90 })
  estimated_duration: number | null;

  @ApiProperty({ description: 'Accumulated focus time in seconds', example: 0 })
  focus_time_seconds: number;

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

  @ApiProperty({
    description: 'How it was completed',
    enum: TASK_COMPLETION_MODES,
    enumName: 'TaskCompletionMode',
    nullable: true,
    example: null,
  })
  completed_by: TaskCompletionMode | null;

  @ApiProperty({ description: 'Soft-deleted (excluded from default lists)', example: false })
  hidden: boolean;

  @ApiProperty({ description: 'Read-only', example: false })
  archived: boolean;

  @ApiProperty({ description: 'Number of subtasks', example: 3 })
  subtask_count: number;

  @ApiProperty({ description: 'Number of completed subtasks', example: 1 })
  subtask_completed_count: number;

  @ApiProperty({ description: 'Optimistic-locking version (≥ 1)', example: 1 })
  version: number;

  @ApiProperty({ description: 'Creation time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ description: 'Last update time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  updated_at: string;
}

export function toTaskResponse({ task, subtaskCount, subtaskCompletedCount }: TaskView): TaskResponseDto {
  return {
    id: task.id,
    user_id: task.userId,
    template_id: task.templateId,
    title: task.title,
    description: task.description,
    priority: task.priority,
    due_date: task.dueDate ? task.dueDate.toISOString() : null,
    estimated_duration: task.estimatedDuration,
    focus_time_seconds: task.focusTimeSeconds,
    completed: task.completed,
    completed_at: task.completedAt ? task.completedAt.toISOString() : null,
    completed_by: task.completedBy,
    hidden: task.hidden,
    archived: task.archived,
    subtask_count: subtaskCount,
    subtask_completed_count: subtaskCompletedCount,
    version: task.version,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
  };
}
