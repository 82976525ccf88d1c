import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { NOTIFICATION_TYPES, NotificationType } from '@app/core/database/enums';
import { PaginationQueryDto } from '@app/core/validation/pagination-query.dto';
import { QueryBooleanField, QueryIntField } from '@app/core/validation/validators';

export class ListNotificationsQueryDto extends PaginationQueryDto {
  @IsOptional()
  @QueryIntField(1, 100, { default: 50, description: 'Page size (1–100)' })
  override limit: number = 50;

  @IsOptional()
  @QueryBooleanField({ default: false, description: 'Only unread notifications' })
  unread_only: boolean = false;

  @ApiProperty({
    description: 'Only this type',
    enum: NOTIFICATION_TYPES,
    enumName: 'NotificationType',
    required: false,
  })
  @IsOptional()
  @IsIn(NOTIFICATION_TYPES, { message: `must be one of ${NOTIFICATION_TYPES.join(', ')}` })
  type?: NotificationType;
}
