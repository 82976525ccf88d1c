import { ApiProperty } from '@nestjs/swagger';
import { REMINDER_TYPES, ReminderType, TASK_PRIORITIES, TaskPriority } from '@app/core/database/enums';
import type { QuickAddParse } from '../quick-add-parser';
import { QuickAddSpanDto, toSpanResponse } from './quick-add-span.dto';

export class QuickAddRecurrenceDto {
  @ApiProperty({ description: 'RRULE of the template (UTC)', example: 'FREQ=WEEKLY;BYDAY=SU' })
  rrule: string;

  @ApiProperty({
    description: 'Recurrence anchor (time of day)',
    format: 'date-time',
    example: '2026-12-04T22:00:00.000Z',
  })
  dtstart: string;
}

export class QuickAddReminderPreviewDto {
  @ApiProperty({ description: 'Reminder type', enum: REMINDER_TYPES, enumName: 'ReminderType', example: 'before' })
  type: ReminderType;

  @ApiProperty({ description: 'Minutes before/after the due date', type: Number, nullable: true, example: 30 })
  offset_minutes: number | null;

  @ApiProperty({
    description: 'Time of an absolute reminder',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  scheduled_at: string | null;
}

/** What `POST /tasks/quick-add` would create, without creating anything. */
export class QuickAddPreviewResponseDto {
  @ApiProperty({
    description: 'Title: the text without its recognised spans ("" when nothing is left)',
    example: 'Call mom',
  })
  title: string;

  @ApiProperty({
    description: 'Priority (medium unless one is given)',
    enum: TASK_PRIORITIES,
    enumName: 'TaskPriority',
    example: 'high',
  })
  priority: TaskPriority;

  @ApiProperty({
    description: 'Due date; for a recurrence, the first instance’s',
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-12-06T22:00:00.000Z',
  })
  due_date: string | null;

  @ApiProperty({ description: 'Estimate in minutes', type: Number, nullable: true, example: 45 })
  estimated_duration: number | null;

  @ApiProperty({ description: 'The recurring template it would create', type: QuickAddRecurrenceDto, nullable: true })
  recurrence: QuickAddRecurrenceDto | null;

  @ApiProperty({ description: 'Reminders it would attach', type: [QuickAddReminderPreviewDto] })
  reminders: QuickAddReminderPreviewDto[];

  @ApiProperty({ description: 'Every recognised span, in text order', type: [QuickAddSpanDto] })
  spans: QuickAddSpanDto[];

  @ApiProperty({ description: 'The user’s time zone the dates were read in', example: 'America/New_York' })
  time_zone: string;
}

export function toPreviewResponse(parse: QuickAddParse, timeZone: string): QuickAddPreviewResponseDto {
  return {
    title: parse.title,
    priority: parse.priority ?? 'medium',
    due_date: parse.due_date?.toISOString() ?? null,
    estimated_duration: parse.estimated_duration,
    recurrence: parse.recurrence
      ? { rrule: parse.recurrence.rrule, dtstart: parse.recurrence.dtstart.toISOString() }
      : null,
    reminders: parse.reminders.map((reminder) => ({
      type: reminder.type,
      offset_minutes: reminder.offset_minutes ?? null,
      scheduled_at: reminder.scheduled_at?.toISOString() ?? null,
    })),
    spans: parse.spans.map(toSpanResponse),
    time_zone: timeZone,
  };
}
