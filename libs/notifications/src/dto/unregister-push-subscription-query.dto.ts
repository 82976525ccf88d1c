import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class UnregisterPushSubscriptionQueryDto {
  @ApiProperty({
    description: 'The registered endpoint URL (URL-encoded)',
    example: 'https://fcm.googleapis.com/fcm/send/abc123',
  })
  @MaxLength(2048, { message: 'must be at most 2048 characters' })
  @IsString({ message: 'is required' })
  endpoint: string;
}
