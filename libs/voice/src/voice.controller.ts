import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TokenScope } from '@app/http/token-scope.decorator';
import { RateLimitBucket } from '@app/http/rate-limit-bucket.decorator';
import { TranscribeDto, TranscriptionResponseDto } from './dto/transcribe.dto';
import { VoiceSessionIdParam } from './dto/voice-session-id.param';
import { VoiceSessionResponseDto } from './dto/voice-session-response.dto';
import { TranscriptionService } from './transcription.service';
import { VoiceSessionsService } from './voice-sessions.service';

@ApiTags('ai')
@ApiBearerAuth()
@ApiErrors(401, 429)
@RateLimitBucket('ai')
@Controller('ai')
export class VoiceController {
  constructor(
    private readonly transcription: TranscriptionService,
    private readonly sessions: VoiceSessionsService,
  ) {}

  @Post('transcribe')
  @TokenScope('ai')
  @HttpCode(200)
  @ApiOperation({ summary: 'Transcribe a recording by URL (Pro; 5 credits per started minute)' })
  @ApiDataResponse(TranscriptionResponseDto)
  @ApiErrors(
    [400, 'VALIDATION_ERROR or AUDIO_DURATION_EXCEEDED'],
    402,
    [403, 'TIER_REQUIRED or FORBIDDEN (note_id)'],
    404,
    [409, 'ARCHIVED'],
    [503, 'TRANSCRIPTION_SERVICE_UNAVAILABLE'],
  )
  async transcribe(
    @CurrentUser() user: AuthUser,
    @Body() dto: TranscribeDto,
  ): Promise<DataEnvelope<TranscriptionResponseDto>> {
    return ok(await this.transcription.transcribe(user, dto));
  }

  @Get('voice-sessions/:id')
  @ApiOperation({
    summary: 'A voice-transcription session, e.g. to recover the transcript after a disconnect',
    description:
      'Sessions come from the WebSocket `GET /api/v1/ws/voice/transcribe` (token as `?token=` or a first ' +
      '`{"type":"auth","token"}` message; binary audio frames ≤ 32 KiB; `end_stream`, `ping`; server messages ' +
      '`connected`, `transcript`, `warning`, `error`, `complete`, `pong`; Pro only, 300 s, 5 credits per started minute).',
  })
  @ApiDataResponse(VoiceSessionResponseDto)
  @ApiErrors(400, 403, 404)
  async session(
    @CurrentUser() user: AuthUser,
    @Param() { id }: VoiceSessionIdParam,
  ): Promise<DataEnvelope<VoiceSessionResponseDto>> {
    return ok(await this.sessions.get(user.id, id));
  }
}
