import { ApiProperty } from '@nestjs/swagger';
import { TASK_PRIORITIES, TaskPriority } from '@app/core/database/enums';

export class SuggestedTaskSubtaskDto {
  @ApiProperty({ description: 'Subtask title (1–200 characters)', example: 'Find the order number' })
  title: string;
}

export class TaskSuggestionDto {
  @ApiProperty({ description: 'Task title (1–200 characters)', example: 'Call the supplier about delivery' })
  title: string;

  @ApiProperty({
    description: "Task description (within the user's description limit)",
    example: 'Ask when the parts arrive',
  })
  description: string;

  @ApiProperty({
    enum: TASK_PRIORITIES,
    enumName: 'TaskPriority',
    description: 'Priority from urgency cues',
    example: 'medium',
  })
  priority: TaskPriority;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Only when stated and at most 30 days ahead',
    example: null,
  })
  due_date: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 720,
    description: 'Estimate in minutes',
    example: null,
  })
  estimated_duration: number | null;

  @ApiProperty({ type: [SuggestedTaskSubtaskDto], description: "At most the user's subtask suggestion limit" })
  subtasks: SuggestedTaskSubtaskDto[];
}

/** `POST /notes/{id}/convert` answer (docs/api.md §8): a suggestion only; confirm it with `convert_note`. */
export class NoteConversionResponseDto {
  @ApiProperty({ type: TaskSuggestionDto, description: 'The suggested task' })
  task_suggestion: TaskSuggestionDto;

  @ApiProperty({ description: 'How the AI understood the note', example: 'A reminder to call the supplier' })
  note_understanding: string;

  @ApiProperty({ minimum: 0, maximum: 1, description: 'Confidence 0–1', example: 0.8 })
  confidence: number;

  @ApiProperty({ description: 'Credits charged', example: 1 })
  credits_used: number;

  @ApiProperty({ description: 'Total balance after the charge', example: 14 })
  credits_remaining: number;
}
