import { Controller, Get, Headers, HttpStatus, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser, Public } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TokenScope } from '@app/http/token-scope.decorator';
import { WithoutIdempotencyKey } from '@app/core/idempotency/idempotency-options.decorator';
import { EventStreamQueryDto } from './dto/event-stream-query.dto';
import { StreamTicketResponseDto } from './dto/stream-ticket-response.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post('ticket')
  @ApiBearerAuth()
  @TokenScope('read')
  @WithoutIdempotencyKey()
  @ApiOperation({ summary: 'Issue a single-use ticket (valid 60 s) to open one event stream' })
  @ApiDataResponse(StreamTicketResponseDto, HttpStatus.CREATED)
  @ApiErrors(401, 429)
  async ticket(@CurrentUser() user: AuthUser): Promise<DataEnvelope<StreamTicketResponseDto>> {
    return ok(await this.events.issueTicket(user.id));
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Live event stream (Server-Sent Events): the changes feed and new notifications, pushed as they commit',
    description:
      'Authenticated by the ticket (no bearer token). `changes` events carry a page of GET /api/v1/sync changes; their id is a sync cursor to resume from (docs/events.md §2).',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event id (a sync cursor)' })
  @ApiResponse({ status: 200, description: 'text/event-stream: `changes` and `notification` events, heartbeats' })
  @ApiErrors(
    400,
    [401, 'UNAUTHORIZED (ticket unknown, used or expired)'],
    [410, 'CURSOR_EXPIRED'],
    [429, 'STREAM_LIMIT_REACHED (5 open streams)'],
  )
  stream(
    @Query() query: EventStreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: Response,
  ): Promise<void> {
    return this.events.open(query.ticket, lastEventId ?? query.last_event_id, response);
  }
}
