import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { DeprecatedRoute } from '@app/http/deprecated.decorator';
import { ApiDataResponse, ApiListResponse, DataEnvelope, ListEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { UserCheckedByRoute } from '@app/core/http/route-user-check';
import { CreateTaskDto } from './dto/create-task.dto';
import { ForceCompleteDto } from './dto/force-complete.dto';
import { ForceCompleteResponseDto } from './dto/force-complete-response.dto';
import { IdParamDto } from './dto/id-param.dto';
import { ListTasksQueryDto } from './dto/list-tasks-query.dto';
import { ApiTaskConflict } from './dto/task-conflict-response.dto';
import { TaskDetailResponseDto } from './dto/task-detail-response.dto';
import { TaskResponseDto } from './dto/task-response.dto';
import { TaskWithAchievementsResponseDto } from './dto/task-with-achievements-response.dto';
import { UpdateTaskDto } from './dto/update-task.dto';
import { USER_ACTOR } from './task-actor';
import { TaskCompletion } from './task-completion.service';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly completion: TaskCompletion,
  ) {}

  @Get()
  @UserCheckedByRoute()
  @ApiOperation({ summary: 'List tasks, newest first (hidden ones only with hidden=true)' })
  @ApiListResponse(TaskResponseDto)
  @ApiErrors(400)
  list(@CurrentUser() user: AuthUser, @Query() query: ListTasksQueryDto): Promise<ListEnvelope<TaskResponseDto>> {
    return this.tasks.list(user.id, query);
  }

  @Get(':id')
  @UserCheckedByRoute()
  @ApiOperation({ summary: 'Get a task with its subtasks and reminders (hidden and archived ones too)' })
  @ApiDataResponse(TaskDetailResponseDto)
  @ApiErrors(400, 403, 404)
  async get(@CurrentUser() user: AuthUser, @Param() params: IdParamDto): Promise<DataEnvelope<TaskDetailResponseDto>> {
    return ok(await this.tasks.get(user.id, params.id));
  }

  @Post()
  @UserCheckedByRoute()
  @ApiOperation({ summary: 'Create a task' })
  @ApiDataResponse(TaskResponseDto, HttpStatus.CREATED)
  @ApiErrors(400, [409, 'LIMIT_EXCEEDED (active-task limit; carries limit and current)'])
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateTaskDto): Promise<DataEnvelope<TaskResponseDto>> {
    return ok(await this.tasks.create(user.id, dto, USER_ACTOR));
  }

  @Patch(':id')
  @UserCheckedByRoute()
  @ApiOperation({ summary: 'Update a task (partial; optional optimistic-locking version)' })
  @ApiDataResponse(TaskWithAchievementsResponseDto)
  @ApiErrors(400, 403, 404)
  @ApiTaskConflict('CONFLICT (stale version: current_version, details, current) or ARCHIVED')
  async update(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: UpdateTaskDto,
  ): Promise<DataEnvelope<TaskWithAchievementsResponseDto>> {
    return ok(await this.tasks.update(user.id, params.id, dto, USER_ACTOR));
  }

  @Put(':id')
  @UserCheckedByRoute()
  @DeprecatedRoute('/api/v1/tasks/{id}', 'Update a task (deprecated alias of PATCH /api/v1/tasks/{id})')
  @ApiDataResponse(TaskWithAchievementsResponseDto)
  @ApiErrors(400, 403, 404)
  @ApiTaskConflict('CONFLICT (stale version: current_version, details, current) or ARCHIVED')
  async replace(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: UpdateTaskDto,
  ): Promise<DataEnvelope<TaskWithAchievementsResponseDto>> {
    return ok(await this.tasks.update(user.id, params.id, dto, USER_ACTOR));
  }

  @Post(':id/force-complete')
  @UserCheckedByRoute()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Complete the task and all its incomplete subtasks (completed_by force)' })
  @ApiDataResponse(ForceCompleteResponseDto)
  @ApiErrors(400, 403, 404)
  @ApiTaskConflict('CONFLICT (stale version), ARCHIVED or ALREADY_COMPLETED')
  async forceComplete(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: ForceCompleteDto,
  ): Promise<DataEnvelope<ForceCompleteResponseDto>> {
    return ok(await this.completion.forceComplete(user.id, params.id, dto.version));
  }
}
