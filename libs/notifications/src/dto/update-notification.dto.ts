import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class UpdateNotificationDto {
  @ApiProperty({ description: 'true marks read (keeping the first read time), false marks unread', example: true })
  @IsBoolean({ message: 'must be a boolean' })
  read: boolean;
}
