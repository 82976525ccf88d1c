import { ApiProperty } from '@nestjs/swagger';
import type { NotificationEntity } from '@app/core/database/entities';
import { NOTIFICATION_TYPES, NotificationType } from '@app/core/database/enums';
import { PaginationDto } from '@app/core/http/envelope';

/** Notification (docs/api.md §2). */
export class NotificationResponseDto {
  @ApiProperty({ description: 'Notification id', format: 'uuid', example: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' })
  id: string;

  @ApiProperty({ description: 'Owner', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  user_id: string;

  @ApiProperty({
    description: 'Kind of notification',
    enum: NOTIFICATION_TYPES,
    enumName: 'NotificationType',
    example: 'achievement',
  })
  type: NotificationType;

  @ApiProperty({
    description: 'Title (≤ 100 characters)',
    maxLength: 100,
    example: 'Achievement unlocked: Task Starter',
  })
  title: string;

  @ApiProperty({
    description: 'Body text (≤ 500 characters)',
    maxLength: 500,
    example: 'Complete 5 tasks. Perk: +15 max tasks',
  })
  body: string;

  @ApiProperty({ description: 'Always the same text as `body`', example: 'Complete 5 tasks. Perk: +15 max tasks' })
  message: string;

  @ApiProperty({ description: 'App-relative path to open', type: String, nullable: true, example: '/achievements' })
  action_url: string | null;

  @ApiProperty({
    description: 'Task a reminder notification is about; null for other types',
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
  })
  task_id: string | null;

  @ApiProperty({ description: 'Read state', example: false })
  read: boolean;

  @ApiProperty({
    description: 'First time it was read',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  read_at: string | null;

  @ApiProperty({ description: 'Creation time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;

  @ApiProperty({ description: 'Last update time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  updated_at: string;
}

export class NotificationListResponseDto {
  @ApiProperty({ type: [NotificationResponseDto] })
  data: NotificationResponseDto[];

  @ApiProperty({ type: PaginationDto })
  pagination: PaginationDto;

  @ApiProperty({ description: 'Total unread notifications of the caller (whatever the filters)', example: 3 })
  unread_count: number;
}

export class MarkAllReadResponseDto {
  @ApiProperty({ description: 'Notifications that were unread and are now read', example: 5 })
  marked_count: number;
}

export function toNotificationResponse(entity: NotificationEntity): NotificationResponseDto {
  return {
    id: entity.id,
    user_id: entity.userId,
    type: entity.type,
    title: entity.title,
    body: entity.body,
    message: entity.body,
    action_url: entity.actionUrl,
    task_id: entity.taskId,
    read: entity.read,
    read_at: entity.readAt?.toISOString() ?? null,
    created_at: entity.createdAt.toISOString(),
    updated_at: entity.updatedAt.toISOString(),
  };
}
