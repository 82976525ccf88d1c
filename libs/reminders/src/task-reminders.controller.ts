import { Body, Controller, Get, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiCollectionResponse, ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TaskIdParamDto } from '@app/tasks/dto/id-param.dto';
import { CreateReminderDto } from './dto/create-reminder.dto';
import { ReminderResponseDto } from '@app/tasks/dto/reminder-response.dto';
import { RemindersService } from './reminders.service';

@ApiTags('reminders')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('tasks/:task_id/reminders')
export class TaskRemindersController {
  constructor(private readonly reminders: RemindersService) {}

  @Get()
  @ApiOperation({ summary: "The task's reminders by scheduled_at" })
  @ApiCollectionResponse(ReminderResponseDto)
  @ApiErrors(400, 403, 404)
  async list(
    @CurrentUser() user: AuthUser,
    @Param() params: TaskIdParamDto,
  ): Promise<DataEnvelope<ReminderResponseDto[]>> {
    return ok(await this.reminders.listForTask(user.id, params.task_id));
  }

  @Post()
  @ApiOperation({ summary: 'Add a reminder (before/after the due date, or absolute)' })
  @ApiDataResponse(ReminderResponseDto, HttpStatus.CREATED)
  @ApiErrors([400, 'VALIDATION_ERROR (incl. a relative reminder on a task without due date)'], 403, 404, [
    409,
    'ARCHIVED or LIMIT_EXCEEDED (5 per task, fired and skipped included)',
  ])
  async create(
    @CurrentUser() user: AuthUser,
    @Param() params: TaskIdParamDto,
    @Body() dto: CreateReminderDto,
  ): Promise<DataEnvelope<ReminderResponseDto>> {
    return ok(await this.reminders.create(user.id, params.task_id, dto));
  }
}
