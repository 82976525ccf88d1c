import { Controller, Delete, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '@app/core/config/app-config';
import { AuthUser, CurrentUser, Public } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, DeletedDto, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TokenScope } from '@app/http/token-scope.decorator';
import { publicBaseUrl } from '@app/http/public-base-url';
import { CalendarFeedService } from './calendar-feed.service';
import { CalendarFeedDto } from './dto/calendar-feed.dto';

@ApiTags('calendar')
@Controller('calendar-feed')
export class CalendarFeedController {
  constructor(
    private readonly feeds: CalendarFeedService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @TokenScope('session')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create the calendar feed, or rotate its secret token (the old URL stops working)' })
  @ApiDataResponse(CalendarFeedDto, 201)
  @ApiErrors(400, 401, 429)
  async issue(@CurrentUser() user: AuthUser, @Req() request: Request): Promise<DataEnvelope<CalendarFeedDto>> {
    return ok(await this.feeds.issue(user.id, publicBaseUrl(this.config, request)));
  }

  @Delete()
  @TokenScope('session')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke the calendar feed (its URL answers 404 from now on)' })
  @ApiDataResponse(DeletedDto)
  @ApiErrors(401, 404, 429)
  async revoke(@CurrentUser() user: AuthUser): Promise<DataEnvelope<DeletedDto>> {
    return ok(await this.feeds.revoke(user.id));
  }

  @Get(':token.ics')
  @Public()
  @ApiOperation({
    summary:
      'The iCalendar (RFC 5545) feed of due tasks and recurring templates; the token is the credential (no bearer token)',
  })
  @ApiParam({ name: 'token', description: 'Secret feed token from POST /api/v1/calendar-feed' })
  @ApiProduces('text/calendar')
  @ApiResponse({
    status: 200,
    description: 'text/calendar; charset=utf-8, with ETag and Last-Modified',
    schema: { type: 'string', example: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n…\r\nEND:VCALENDAR\r\n' },
  })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match / If-Modified-Since matched); no body' })
  @ApiErrors([404, 'NOT_FOUND (unknown, rotated or revoked token)'], 429)
  async feed(@Param('token') token: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const result = await this.feeds.serve({
      token,
      clientIp: request.ip ?? 'unknown',
      ifNoneMatch: request.headers['if-none-match'],
      ifModifiedSince: request.headers['if-modified-since'],
    });
    response.status(result.status).set(result.headers).send(result.body);
  }
}
