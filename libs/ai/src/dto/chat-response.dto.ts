import { ApiProperty } from '@nestjs/swagger';
import { SUGGESTED_ACTION_TYPES, SuggestedActionType } from '../ai-output-rules';

export class SuggestedActionDto {
  @ApiProperty({
    enum: SUGGESTED_ACTION_TYPES,
    enumName: 'SuggestedActionType',
    description: 'Action to confirm through `POST /ai/confirm-action`',
    example: 'complete_task',
  })
  type: SuggestedActionType;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Task concerned (null for create_task)',
    example: null,
  })
  task_id: string | null;

  @ApiProperty({ description: 'Why the AI suggests it', example: 'The report is done' })
  description: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The `action_data` to confirm, minus `task_id`',
    example: {},
  })
  data: Record<string, unknown>;
}

export class AiChargeFieldsDto {
  @ApiProperty({ description: 'Credits charged by this request', example: 1 })
  credits_used: number;

  @ApiProperty({ description: 'Total balance after the charge', example: 13 })
  credits_remaining: number;

  @ApiProperty({ description: 'True from the 5th request about the same task in this AI session', example: false })
  ai_request_warning: boolean;
}

/** `POST /ai/chat` answer (docs/api.md §10.1). */
export class ChatResponseDto extends AiChargeFieldsDto {
  @ApiProperty({ description: 'The assistant answer', example: 'Start with the report, it is due tomorrow.' })
  response: string;

  @ApiProperty({ type: [SuggestedActionDto], maxItems: 5, description: 'Actions the user may confirm' })
  suggested_actions: SuggestedActionDto[];
}

/** The SSE `done` event payload (docs/realtime.md §2). */
export interface ChatDoneEvent extends ChatResponseDto {
  type: 'done';
}
