import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { SyncPageDto } from './dto/sync-page.dto';
import { SyncQueryDto } from './dto/sync-query.dto';
import { SyncService } from './sync.service';

@ApiTags('sync')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('sync')
export class SyncController {
  constructor(private readonly sync: SyncService) {}

  @Get()
  @ApiOperation({
    summary:
      'Changes feed for offline clients: tasks, subtasks, reminders, notes and templates changed or deleted since a cursor',
  })
  @ApiDataResponse(SyncPageDto)
  @ApiErrors(
    [400, 'VALIDATION_ERROR (malformed since or limit)'],
    [410, 'CURSOR_EXPIRED (resynchronise without since)'],
  )
  async changes(@CurrentUser() user: AuthUser, @Query() query: SyncQueryDto): Promise<DataEnvelope<SyncPageDto>> {
    return ok(await this.sync.changes(user.id, query));
  }
}
