import { IsDefined, ValidateIf, ValidateBy } from 'class-validator';
import { UuidField } from '@app/core/validation/validators';

const EXACTLY_ONE = 'exactly one of task_id or session_id is required';

/** Body of `POST /focus/end`: exactly one of `task_id` and `session_id` (docs/api.md §13). */
export class EndFocusDto {
  @ValidateIf((dto: EndFocusDto) => dto.task_id !== undefined || dto.session_id === undefined)
  @IsDefined({ message: EXACTLY_ONE })
  @UuidField({
    required: false,
    description: 'End the active session on this task',
    example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e',
  })
  task_id?: string;

  @ValidateIf((dto: EndFocusDto) => dto.session_id !== undefined)
  @ValidateBy({
    name: 'notWithTaskId',
    validator: {
      validate: (_: unknown, args) => (args?.object as EndFocusDto).task_id === undefined,
      defaultMessage: () => EXACTLY_ONE,
    },
  })
  @UuidField({ required: false, description: 'End this session', example: '0b7c5d1e-2f3a-4b6c-8d9e-0f1a2b3c4d5e' })
  session_id?: string;
}
