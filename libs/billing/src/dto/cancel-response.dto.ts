import { ApiProperty } from '@nestjs/swagger';

export class CancelResponseDto {
  @ApiProperty({
    description: 'Always `cancelled`',
    enum: ['cancelled'],
    enumName: 'CancelledStatus',
    example: 'cancelled',
  })
  status: 'cancelled';

  @ApiProperty({ description: 'Pro lasts until then', format: 'date-time', example: '2026-02-19T10:30:00.000Z' })
  access_until: string;

  @ApiProperty({ description: 'Always true', enum: [true], enumName: 'CancelAtPeriodEnd', example: true })
  cancel_at_period_end: true;
}
