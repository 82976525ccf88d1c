import { UuidField } from '@app/core/validation/validators';

/** Body of `POST /focus/start`. */
export class StartFocusDto {
  @UuidField({ description: 'Task to focus on', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  task_id: string;
}
