import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiCollectionResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TombstoneResponseDto } from './dto/tombstone-response.dto';
import { TaskRecoveryService } from './task-recovery.service';

@ApiTags('recovery')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller()
export class TombstonesController {
  constructor(private readonly recovery: TaskRecoveryService) {}

  @Get('tombstones')
  @ApiOperation({ summary: 'Recoverable deleted tasks (at most 3, newest first)' })
  @ApiCollectionResponse(TombstoneResponseDto)
  async list(@CurrentUser() user: AuthUser): Promise<DataEnvelope<TombstoneResponseDto[]>> {
    return ok(await this.recovery.listRecoverable(user.id));
  }

  @Get('recovery/tombstones')
  @ApiOperation({ summary: 'Recoverable deleted tasks (alias of GET /api/v1/tombstones)' })
  @ApiCollectionResponse(TombstoneResponseDto)
  async listAlias(@CurrentUser() user: AuthUser): Promise<DataEnvelope<TombstoneResponseDto[]>> {
    return ok(await this.recovery.listRecoverable(user.id));
  }
}
