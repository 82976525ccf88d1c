import { TextField } from '@app/core/validation/validators';

/** Body of `POST /tasks/{task_id}/subtasks`. */
export class CreateSubtaskDto {
  @TextField({ max: 200, description: 'Title, 1–200 characters after trimming', example: 'Collect the numbers' })
  title: string;
}
