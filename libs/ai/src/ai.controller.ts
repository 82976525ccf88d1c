import { Body, Controller, Headers, HttpCode, Post, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { RateLimitBucket } from '@app/http/rate-limit-bucket.decorator';
import { UserCheckedByRoute } from '@app/core/http/route-user-check';
import { TokenScope } from '@app/http/token-scope.decorator';
import { AiChatService } from './ai-chat.service';
import { AiChatStreamService } from './ai-chat-stream.service';
import { AiSubtasksService } from './ai-subtasks.service';
import { ConfirmActionService } from './confirm-action.service';
import { ConfirmActionDto } from './dto/confirm-action.dto';
import { ConfirmActionResponseDto } from './dto/confirm-action-response.dto';
import { ChatRequestDto } from './dto/chat-request.dto';
import { ChatDoneEvent, ChatResponseDto } from './dto/chat-response.dto';
import { GenerateSubtasksDto, GenerateSubtasksResponseDto } from './dto/generate-subtasks.dto';
import { SseReplayFilter } from './sse-replay.filter';

const TASK_HEADER = {
  name: 'X-Task-Id',
  required: false,
  description: 'Alternative to `task_id` (a UUID); ignored when the body has `task_id`',
};

@ApiTags('ai')
@ApiBearerAuth()
@ApiErrors(401, 429)
@RateLimitBucket('ai')
@TokenScope('ai')
@Controller('ai')
export class AiController {
  constructor(
    private readonly chatService: AiChatService,
    private readonly streamService: AiChatStreamService,
    private readonly subtasks: AiSubtasksService,
    private readonly confirmation: ConfirmActionService,
  ) {}

  @Post('chat')
  @UserCheckedByRoute()
  @HttpCode(200)
  @ApiOperation({ summary: 'Chat with the AI assistant (JSON answer with suggested actions); 1 credit' })
  @ApiHeader(TASK_HEADER)
  @ApiDataResponse(ChatResponseDto)
  @ApiErrors(400, 402, 403, 404, [429, 'RATE_LIMIT_EXCEEDED or AI_TASK_LIMIT_REACHED'], [503, 'AI_SERVICE_UNAVAILABLE'])
  async chat(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChatRequestDto,
    @Headers('x-task-id') taskHeader?: string,
  ): Promise<DataEnvelope<ChatResponseDto>> {
    return ok(await this.chatService.chat(user, dto, taskHeader));
  }

  @Post('chat/stream')
  @UserCheckedByRoute()
  @HttpCode(200)
  @UseFilters(SseReplayFilter)
  @ApiOperation({
    summary: 'Chat with the AI assistant as a Server-Sent-Events stream; 1 credit',
    description:
      'Events (each a single `data:` line): `{"type":"delta","text"}`, then `{"type":"done",…}` or ' +
      '`{"type":"error","code","message"}`, then the literal `[DONE]`. Errors before the stream are JSON.',
  })
  @ApiHeader(TASK_HEADER)
  @ApiProduces('text/event-stream')
  @ApiResponse({
    status: 200,
    description: 'text/event-stream of delta, done/error and [DONE] events',
    schema: { type: 'string' },
  })
  @ApiErrors(400, 402, 403, 404, [429, 'RATE_LIMIT_EXCEEDED or AI_TASK_LIMIT_REACHED'], [503, 'AI_SERVICE_UNAVAILABLE'])
  chatStream(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChatRequestDto,
    @Res() response: Response,
    @Headers('x-task-id') taskHeader?: string,
  ): Promise<ChatDoneEvent> {
    return this.streamService.stream(user, dto, taskHeader, response);
  }

  @Post('generate-subtasks')
  @UserCheckedByRoute()
  @HttpCode(200)
  @ApiOperation({ summary: "Suggest subtasks for a task (at most the user's suggestion limit); 1 credit" })
  @ApiDataResponse(GenerateSubtasksResponseDto)
  @ApiErrors(
    400,
    402,
    403,
    404,
    [409, 'ARCHIVED'],
    [429, 'RATE_LIMIT_EXCEEDED or AI_TASK_LIMIT_REACHED'],
    [503, 'AI_SERVICE_UNAVAILABLE'],
  )
  async generateSubtasks(
    @CurrentUser() user: AuthUser,
    @Body() dto: GenerateSubtasksDto,
  ): Promise<DataEnvelope<GenerateSubtasksResponseDto>> {
    return ok(await this.subtasks.generate(user, dto.task_id));
  }

  @Post('confirm-action')
  @HttpCode(200)
  @ApiOperation({ summary: 'Execute a confirmed AI suggestion (free; source ai; all or nothing)' })
  @ApiDataResponse(ConfirmActionResponseDto)
  @ApiErrors([400, 'VALIDATION_ERROR or INVALID_ACTION'], 403, 404, [
    409,
    'CONFLICT, ARCHIVED, ALREADY_COMPLETED or LIMIT_EXCEEDED',
  ])
  async confirmAction(
    @CurrentUser() user: AuthUser,
    @Body() dto: ConfirmActionDto,
  ): Promise<DataEnvelope<ConfirmActionResponseDto>> {
    return ok(await this.confirmation.confirm(user.id, dto));
  }
}
