import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';

/** Query of `GET /api/v1/events` (docs/events.md §2). */
export class EventStreamQueryDto {
  @ApiProperty({ description: 'Ticket from POST /api/v1/events/ticket (single use, 60 s)' })
  @IsString({ message: 'must be a stream ticket' })
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'must be a stream ticket' })
  ticket: string;

  @ApiPropertyOptional({
    description:
      'Where to resume when the Last-Event-ID header cannot be sent: the last event id received (a sync cursor)',
  })
  @IsOptional()
  @IsString({ message: 'must be an event id of this stream' })
  last_event_id?: string;
}
