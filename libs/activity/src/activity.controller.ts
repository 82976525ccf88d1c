import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiListResponse, ListEnvelope } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { ActivityService } from './activity.service';
import { ActivityEntryResponseDto } from './dto/activity-entry-response.dto';
import { ListActivityQueryDto } from './dto/list-activity-query.dto';

@ApiTags('activity')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('activity')
export class ActivityController {
  constructor(private readonly activity: ActivityService) {}

  @Get()
  @ApiOperation({ summary: 'The activity log of the last 30 days, newest first' })
  @ApiListResponse(ActivityEntryResponseDto)
  @ApiErrors([400, 'VALIDATION_ERROR (invalid enum, timestamp or pagination)'])
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListActivityQueryDto,
  ): Promise<ListEnvelope<ActivityEntryResponseDto>> {
    return this.activity.list(user.id, query);
  }
}
