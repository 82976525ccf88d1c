import { UuidField } from '@app/core/validation/validators';
import { CreateReminderDto } from './create-reminder.dto';

/** Body of `POST /reminders`: the task-scoped body plus `task_id`. */
export class CreateTaskReminderDto extends CreateReminderDto {
  @UuidField({ description: 'Task to remind about', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  task_id: string;
}
