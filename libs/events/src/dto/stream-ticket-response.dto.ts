import { ApiProperty } from '@nestjs/swagger';

/** A stream ticket: one `GET /api/v1/events?ticket=…` within a minute (docs/events.md §1). */
export class StreamTicketResponseDto {
  @ApiProperty({
    description: 'Single-use ticket (256 bits, base64url)',
    example: 'q3Jc0n8cV2m5vE1x9pZr7tYb4sKd6fHw2LgA0uNeQiM',
  })
  ticket: string;

  @ApiProperty({ format: 'date-time', example: '2026-01-19T10:31:00.000Z' })
  expires_at: string;
}
