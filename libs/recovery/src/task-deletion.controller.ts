import { Controller, Delete, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { IdParamDto } from '@app/tasks/dto/id-param.dto';
import { TaskDetailResponseDto } from '@app/tasks/dto/task-detail-response.dto';
import { TaskDeletedResponseDto } from './dto/task-deleted-response.dto';
import { TombstoneIdParamDto } from './dto/tombstone-id-param.dto';
import { TaskDeletionService } from './task-deletion.service';
import { TaskRecoveryService } from './task-recovery.service';

@ApiTags('tasks')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('tasks')
export class TaskDeletionController {
  constructor(
    private readonly deletion: TaskDeletionService,
    private readonly recovery: TaskRecoveryService,
  ) {}

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a task (recoverable for 7 days; the 4th tombstone drops the oldest)' })
  @ApiDataResponse(TaskDeletedResponseDto)
  @ApiErrors(400, 403, 404)
  async delete(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
  ): Promise<DataEnvelope<TaskDeletedResponseDto>> {
    return ok(await this.deletion.delete(user.id, params.id));
  }

  @Post('recover/:tombstone_id')
  @HttpCode(HttpStatus.OK)
  @ApiTags('recovery')
  @ApiOperation({ summary: 'Recover a deleted task exactly as it was (same id, version, subtasks, reminders)' })
  @ApiDataResponse(TaskDetailResponseDto)
  @ApiErrors(
    400,
    [403, "FORBIDDEN (another user's tombstone)"],
    [404, 'NOT_FOUND (unknown, already recovered or expired)'],
    [409, 'CONFLICT (a task with the original id exists)'],
  )
  async recover(
    @CurrentUser() user: AuthUser,
    @Param() params: TombstoneIdParamDto,
  ): Promise<DataEnvelope<TaskDetailResponseDto>> {
    return ok(await this.recovery.recover(user.id, params.tombstone_id));
  }
}
