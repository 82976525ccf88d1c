import { Body, Controller, Delete, Param, Patch, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, DeletedDto, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { IdParamDto } from '../dto/id-param.dto';
import { SubtaskUpdateResponseDto } from './dto/subtask-update-response.dto';
import { UpdateSubtaskDto } from './dto/update-subtask.dto';
import { SubtasksService } from './subtasks.service';

@ApiTags('subtasks')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('subtasks')
export class SubtasksController {
  constructor(private readonly subtasks: SubtasksService) {}

  @Patch(':id')
  @ApiOperation({ summary: 'Update a subtask; completing the last open one auto-completes the task' })
  @ApiDataResponse(SubtaskUpdateResponseDto)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED (parent task archived)'])
  async update(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: UpdateSubtaskDto,
  ): Promise<DataEnvelope<SubtaskUpdateResponseDto>> {
    return ok(await this.subtasks.update(user.id, params.id, dto));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update a subtask (first-class alias of PATCH)' })
  @ApiDataResponse(SubtaskUpdateResponseDto)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED (parent task archived)'])
  async replace(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: UpdateSubtaskDto,
  ): Promise<DataEnvelope<SubtaskUpdateResponseDto>> {
    return ok(await this.subtasks.update(user.id, params.id, dto));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a subtask and close the order gap (never auto-completes)' })
  @ApiDataResponse(DeletedDto)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED (parent task archived)'])
  async delete(@CurrentUser() user: AuthUser, @Param() params: IdParamDto): Promise<DataEnvelope<DeletedDto>> {
    await this.subtasks.delete(user.id, params.id);
    return ok({ id: params.id, deleted: true });
  }
}
