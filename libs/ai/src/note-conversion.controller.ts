import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { RateLimitBucket } from '@app/http/rate-limit-bucket.decorator';
import { NoteIdParam } from '@app/notes/dto/note-id.param';
import { NoteConversionResponseDto } from './dto/note-conversion-response.dto';
import { NoteConversionService } from './note-conversion.service';

/** `POST /notes/{id}/convert`: an AI use case on a note, so it lives with the AI features. */
@ApiTags('notes')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('notes')
export class NoteConversionController {
  constructor(private readonly conversion: NoteConversionService) {}

  @Post(':id/convert')
  @HttpCode(200)
  @RateLimitBucket('ai')
  // The route's operation id from when notes served it: generated clients keep their method name.
  @ApiOperation({
    operationId: 'notes_convert',
    summary: 'Ask the AI for a task suggestion from a note (1 credit; creates nothing)',
  })
  @ApiDataResponse(NoteConversionResponseDto)
  @ApiErrors(400, 402, 403, 404, [409, 'ARCHIVED'], [503, 'AI_SERVICE_UNAVAILABLE'])
  async convert(
    @CurrentUser() user: AuthUser,
    @Param() { id }: NoteIdParam,
  ): Promise<DataEnvelope<NoteConversionResponseDto>> {
    return ok(await this.conversion.suggest(user, id));
  }
}
