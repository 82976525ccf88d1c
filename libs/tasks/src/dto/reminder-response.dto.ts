import { ApiProperty } from '@nestjs/swagger';
import type { ReminderEntity } from '@app/core/database/entities';
import { REMINDER_METHODS, REMINDER_TYPES, ReminderMethod, ReminderType } from '@app/core/database/enums';

/** The Reminder representation (docs/api.md §2). */
export class ReminderResponseDto {
  @ApiProperty({ description: 'Reminder id', format: 'uuid', example: '2b4d6f8a-0c1e-4a3b-9d5f-7e9a1c3e5b7d' })
  id: string;

  @ApiProperty({ description: 'Task', format: 'uuid', example: '6a2d8c4e-1b3f-4d5a-9c7e-2f4b6d8a0c1e' })
  task_id: string;

  @ApiProperty({ description: 'Owner', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  user_id: string;

  @ApiProperty({
    description: 'Relative to the due date, or at an absolute time',
    enum: REMINDER_TYPES,
    enumName: 'ReminderType',
    example: 'before',
  })
  type: ReminderType;

  @ApiProperty({
    description: 'Magnitude in minutes (1–43 200) for relative types; null for absolute',
    type: Number,
    nullable: true,
    example: 30,
  })
  offset_minutes: number | null;

  @ApiProperty({ description: 'When it fires (UTC)', format: 'date-time', example: '2026-01-25T16:30:00.000Z' })
  scheduled_at: string;

  @ApiProperty({ description: 'Delivery', enum: REMINDER_METHODS, enumName: 'ReminderMethod', example: 'in_app' })
  method: ReminderMethod;

  @ApiProperty({ description: 'Fired (or skipped)', example: false })
  fired: boolean;

  @ApiProperty({ description: 'Delivery time (UTC)', type: String, format: 'date-time', nullable: true, example: null })
  fired_at: string | null;

  @ApiProperty({ description: 'Marked fired without delivering', example: false })
  skipped: boolean;

  @ApiProperty({ description: 'Creation time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ description: 'Last update time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  updated_at: string;
}

export function toReminderResponse(reminder: ReminderEntity): ReminderResponseDto {
  return {
    id: reminder.id,
    task_id: reminder.taskId,
    user_id: reminder.userId,
    type: reminder.type,
    offset_minutes: reminder.offsetMinutes,
    scheduled_at: reminder.scheduledAt.toISOString(),
    method: reminder.method,
    fired: reminder.fired,
    fired_at: reminder.firedAt ? reminder.firedAt.toISOString() : null,
    skipped: reminder.skipped,
    created_at: reminder.createdAt.toISOString(),
    updated_at: reminder.updatedAt.toISOString(),
  };
}
