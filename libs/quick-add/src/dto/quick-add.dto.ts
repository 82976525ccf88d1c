import { TextField } from '@app/core/validation/validators';

/** Body of `POST /tasks/quick-add` and its preview (docs/quick-add.md). */
export class QuickAddDto {
  @TextField({
    max: 500,
    description: 'One sentence: title plus date, recurrence, priority, reminders and duration in plain English',
    example: 'Call mom tomorrow 5pm every sunday !high remind me 30m before',
  })
  text: string;
}
