import { Body, Controller, Get, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiCollectionResponse, ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TaskIdParamDto } from '../dto/id-param.dto';
import { CreateSubtaskDto } from './dto/create-subtask.dto';
import { ReorderSubtasksDto } from './dto/reorder-subtasks.dto';
import { SubtaskOrderResponseDto } from './dto/subtask-order-response.dto';
import { SubtaskResponseDto } from './dto/subtask-response.dto';
import { SubtasksService } from './subtasks.service';

@ApiTags('subtasks')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('tasks/:task_id/subtasks')
export class TaskSubtasksController {
  constructor(private readonly subtasks: SubtasksService) {}

  @Get()
  @ApiOperation({ summary: "The task's subtasks by order_index (any task state)" })
  @ApiCollectionResponse(SubtaskResponseDto)
  @ApiErrors(400, 403, 404)
  async list(
    @CurrentUser() user: AuthUser,
    @Param() params: TaskIdParamDto,
  ): Promise<DataEnvelope<SubtaskResponseDto[]>> {
    return ok(await this.subtasks.list(user.id, params.task_id));
  }

  @Post()
  @ApiOperation({ summary: 'Append a subtask (source user)' })
  @ApiDataResponse(SubtaskResponseDto, HttpStatus.CREATED)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED or LIMIT_EXCEEDED (4 free / 10 Pro per task)'])
  async create(
    @CurrentUser() user: AuthUser,
    @Param() params: TaskIdParamDto,
    @Body() dto: CreateSubtaskDto,
  ): Promise<DataEnvelope<SubtaskResponseDto>> {
    return ok(await this.subtasks.create(user.id, params.task_id, dto.title));
  }

  @Put('reorder')
  @ApiOperation({
    summary: 'Reorder subtasks',
    description:
      "Checks: list shape (400) → another user's subtask (403) → unknown id or another task's subtask (404) → ids of this task missing (400).",
  })
  @ApiCollectionResponse(SubtaskOrderResponseDto)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED'])
  async reorder(
    @CurrentUser() user: AuthUser,
    @Param() params: TaskIdParamDto,
    @Body() dto: ReorderSubtasksDto,
  ): Promise<DataEnvelope<SubtaskOrderResponseDto[]>> {
    return ok(await this.subtasks.reorder(user.id, params.task_id, dto.subtask_ids));
  }
}
