import { ApiProperty } from '@nestjs/swagger';
import { UuidField } from '@app/core/validation/validators';
import { AiChargeFieldsDto } from './chat-response.dto';

/** Body of `POST /ai/generate-subtasks` (docs/api.md §10.3). */
export class GenerateSubtasksDto {
  @UuidField({ description: 'Task to break into subtasks' })
  task_id: string;
}

export class SuggestedSubtaskDto {
  @ApiProperty({ description: 'Subtask title (1–200 characters)', example: 'Draft the outline' })
  title: string;
}

export class GenerateSubtasksResponseDto extends AiChargeFieldsDto {
  @ApiProperty({
    type: [SuggestedSubtaskDto],
    description: "At most the user's subtask suggestion limit (4 free / 10 Pro)",
  })
  suggested_subtasks: SuggestedSubtaskDto[];
}
