import { Body, Controller, Get, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { EndFocusDto } from './dto/end-focus.dto';
import { FocusEndResponseDto } from './dto/focus-end-response.dto';
import { FocusSessionResponseDto } from './dto/focus-session-response.dto';
import { StartFocusDto } from './dto/start-focus.dto';
import { FocusService } from './focus.service';

@ApiTags('focus')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('focus')
export class FocusController {
  constructor(private readonly focus: FocusService) {}

  @Post('start')
  @ApiOperation({
    summary: 'Start a focus session (201), or return the active one on the same task (200)',
    description: 'An active session on another task is ended first and its time credited.',
  })
  @ApiDataResponse(FocusSessionResponseDto, HttpStatus.CREATED, 'New session started')
  @ApiDataResponse(FocusSessionResponseDto, HttpStatus.OK, 'Already focusing on this task')
  @ApiErrors(400, 403, 404, [409, 'CONFLICT (task completed) or ARCHIVED'])
  async start(
    @CurrentUser() user: AuthUser,
    @Body() dto: StartFocusDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DataEnvelope<FocusSessionResponseDto>> {
    const result = await this.focus.start(user.id, dto.task_id);
    response.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return ok(result.session);
  }

  @Post('end')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'End the active session (by task_id or session_id) and credit its time to the task' })
  @ApiDataResponse(FocusEndResponseDto)
  @ApiErrors(400, 403, [404, 'NOT_FOUND (no active session for that task or session)'])
  async end(@CurrentUser() user: AuthUser, @Body() dto: EndFocusDto): Promise<DataEnvelope<FocusEndResponseDto>> {
    return ok(await this.focus.end(user.id, dto));
  }

  @Get('active')
  @ApiOperation({ summary: 'The active focus session, or null' })
  @ApiExtraModels(FocusSessionResponseDto)
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['data'],
      properties: { data: { nullable: true, allOf: [{ $ref: getSchemaPath(FocusSessionResponseDto) }] } },
    },
  })
  async active(@CurrentUser() user: AuthUser): Promise<DataEnvelope<FocusSessionResponseDto | null>> {
    return ok(await this.focus.getActive(user.id));
  }
}
