import { Body, Controller, Delete, Get, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, ApiListResponse, DataEnvelope, DeletedDto, ListEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { IdParamDto } from '@app/tasks/dto/id-param.dto';
import { CreateTaskReminderDto } from './dto/create-task-reminder.dto';
import { ListRemindersQueryDto } from './dto/list-reminders-query.dto';
import { ReminderResponseDto } from '@app/tasks/dto/reminder-response.dto';
import { UpdateReminderDto } from './dto/update-reminder.dto';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('reminders')
export class RemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get()
  @ApiOperation({ summary: "The caller's reminders by scheduled_at (filters task_id, fired)" })
  @ApiListResponse(ReminderResponseDto)
  @ApiErrors(400)
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListRemindersQueryDto,
  ): Promise<ListEnvelope<ReminderResponseDto>> {
    return this.reminders.list(user.id, query);
  }

  @Post()
  @ApiOperation({ summary: 'Add a reminder to the task named by task_id' })
  @ApiDataResponse(ReminderResponseDto, HttpStatus.CREATED)
  @ApiErrors([400, 'VALIDATION_ERROR (incl. a relative reminder on a task without due date)'], 403, 404, [
    409,
    'ARCHIVED or LIMIT_EXCEEDED (5 per task, fired and skipped included)',
  ])
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateTaskReminderDto,
  ): Promise<DataEnvelope<ReminderResponseDto>> {
    return ok(await this.reminders.create(user.id, dto.task_id, dto));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a reminder' })
  @ApiDataResponse(ReminderResponseDto)
  @ApiErrors(400, 403, 404)
  async get(@CurrentUser() user: AuthUser, @Param() params: IdParamDto): Promise<DataEnvelope<ReminderResponseDto>> {
    return ok(await this.reminders.get(user.id, params.id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a reminder; a future time makes it pending again' })
  @ApiDataResponse(ReminderResponseDto)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED (task archived)'])
  async update(
    @CurrentUser() user: AuthUser,
    @Param() params: IdParamDto,
    @Body() dto: UpdateReminderDto,
  ): Promise<DataEnvelope<ReminderResponseDto>> {
    return ok(await this.reminders.update(user.id, params.id, dto));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a reminder' })
  @ApiDataResponse(DeletedDto)
  @ApiErrors(400, 403, 404, [409, 'ARCHIVED (task archived)'])
  async delete(@CurrentUser() user: AuthUser, @Param() params: IdParamDto): Promise<DataEnvelope<DeletedDto>> {
    await this.reminders.delete(user.id, params.id);
    return ok({ id: params.id, deleted: true });
  }
}
