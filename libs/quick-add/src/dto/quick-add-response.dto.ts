import { ApiProperty } from '@nestjs/swagger';
import { ReminderResponseDto } from '@app/tasks/dto/reminder-response.dto';
import { TaskResponseDto } from '@app/tasks/dto/task-response.dto';
import { TemplateResponseDto } from '@app/tasks/templates/dto/template-response.dto';
import { QuickAddSpanDto } from './quick-add-span.dto';

/** What `POST /tasks/quick-add` created. */
export class QuickAddResponseDto {
  @ApiProperty({ description: 'The task (for a recurrence, the template’s first instance)', type: TaskResponseDto })
  task: TaskResponseDto;

  @ApiProperty({
    description: 'The recurring template, when the text names a recurrence',
    type: TemplateResponseDto,
    nullable: true,
  })
  template: TemplateResponseDto | null;

  @ApiProperty({ description: 'The reminders attached to the task', type: [ReminderResponseDto] })
  reminders: ReminderResponseDto[];

  @ApiProperty({ description: 'Every recognised span, in text order', type: [QuickAddSpanDto] })
  spans: QuickAddSpanDto[];
}
