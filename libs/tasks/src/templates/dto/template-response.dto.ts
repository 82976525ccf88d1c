import { ApiProperty } from '@nestjs/swagger';
import type { TaskTemplateEntity } from '@app/core/database/entities';
import { TASK_PRIORITIES, TaskPriority } from '@app/core/database/enums';
import { describeRule } from '../recurrence';

/** The Template representation (docs/api.md §2). */
export class TemplateResponseDto {
  @ApiProperty({ description: 'Template id', format: 'uuid', example: '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9' })
  id: string;

  @ApiProperty({ description: 'Owner', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  user_id: string;

  @ApiProperty({ description: 'Title copied to instances', example: 'Weekly review' })
  title: string;

  @ApiProperty({ description: 'Description copied to instances ("" when empty)', example: '' })
  description: string;

  @ApiProperty({
    description: 'Priority copied to instances',
    enum: TASK_PRIORITIES,
    enumName: 'TaskPriority',
    example: 'medium',
  })
  priority: TaskPriority;

  @ApiProperty({ description: 'Estimate in minutes copied to instances', type: Number, nullable: true, example: 30 })
  estimated_duration: number | null;

  @ApiProperty({ description: 'RFC 5545 RRULE as sent, without the RRULE: prefix', example: 'FREQ=WEEKLY;BYDAY=MO,WE' })
  rrule: string;

  @ApiProperty({ description: 'Human-readable rule', example: 'Every week on Monday, Wednesday' })
  rrule_description: string;

  @ApiProperty({ description: 'Recurrence anchor (UTC)', format: 'date-time', example: '2026-01-19T09:00:00.000Z' })
  dtstart: string;

  @ApiProperty({
    description: 'Next occurrence to generate; null when inactive or exhausted',
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-01-21T09:00:00.000Z',
  })
  next_due: string | null;

  @ApiProperty({ description: 'Generating instances', example: true })
  active: boolean;

  @ApiProperty({
    description: 'Last generation (UTC)',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  last_generated_at: string | null;

  @ApiProperty({ description: 'Creation time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ description: 'Last update time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  updated_at: string;
}

export function toTemplateResponse(template: TaskTemplateEntity): TemplateResponseDto {
  return {
    id: template.id,
    user_id: template.userId,
    title: template.title,
    description: template.description,
    priority: template.priority,
    estimated_duration: template.estimatedDuration,
    rrule: template.rrule,
    rrule_description: describeRule(template.rrule, template.dtstart),
    dtstart: template.dtstart.toISOString(),
    next_due: template.nextDue ? template.nextDue.toISOString() : null,
    active: template.active,
    last_generated_at: template.lastGeneratedAt ? template.lastGeneratedAt.toISOString() : null,
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
  };
}
