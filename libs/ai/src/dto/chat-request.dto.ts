import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { OptionalNotNull, TextField, UuidField } from '@app/core/validation/validators';

export class ChatContextDto {
  @OptionalNotNull()
  @ApiProperty({
    type: Boolean,
    required: false,
    default: false,
    description: "Send the user's incomplete, visible tasks",
    example: true,
  })
  @IsBoolean({ message: 'must be a boolean' })
  include_tasks?: boolean;

  @OptionalNotNull()
  @ApiProperty({
    type: Number,
    required: false,
    default: 10,
    minimum: 1,
    maximum: 50,
    description: 'How many tasks to send',
    example: 10,
  })
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be at least 1' })
  @Max(50, { message: 'must be at most 50' })
  task_limit?: number;
}

export class ChatHistoryItemDto {
  @ApiProperty({ enum: ['user', 'assistant'], enumName: 'ChatRole', description: 'Who said it', example: 'user' })
  @IsIn(['user', 'assistant'], { message: 'must be user or assistant' })
  role: 'user' | 'assistant';

  @TextField({ max: 2000, description: 'What was said (1–2000 characters)', example: 'What should I do first?' })
  content: string;
}

/** Body of `POST /ai/chat` and `POST /ai/chat/stream` (docs/api.md §10.1). */
export class ChatRequestDto {
  @TextField({ max: 2000, description: 'The user message (1–2000 characters)', example: 'What should I work on next?' })
  message: string;

  @IsOptional()
  @UuidField({ required: false, description: 'Focus the chat on this task (also enables the per-task counter)' })
  task_id?: string;

  @OptionalNotNull()
  @ApiProperty({ type: ChatContextDto, required: false, description: 'What to send the AI besides the message' })
  @ValidateNested()
  @Type(() => ChatContextDto)
  context?: ChatContextDto;

  @OptionalNotNull()
  @ApiProperty({
    type: [ChatHistoryItemDto],
    required: false,
    maxItems: 20,
    description: 'Earlier turns, oldest first',
  })
  @IsArray({ message: 'must be an array' })
  @ArrayMaxSize(20, { message: 'must have at most 20 items' })
  @ValidateNested({ each: true })
  @Type(() => ChatHistoryItemDto)
  history?: ChatHistoryItemDto[];
}
