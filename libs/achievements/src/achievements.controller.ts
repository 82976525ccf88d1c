import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiCollectionResponse, ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { AchievementsService } from './achievements.service';
import { AchievementDefinitionDto } from './dto/achievement-definition.dto';
import { AchievementStatsResponseDto } from './dto/achievement-stats.dto';
import { AchievementsMeDto } from './dto/achievements-me.dto';
import { EffectiveLimitsResponseDto } from './dto/effective-limits.dto';

@ApiTags('achievements')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('achievements')
export class AchievementsController {
  constructor(private readonly achievements: AchievementsService) {}

  @Get()
  @ApiOperation({ summary: 'The achievement catalogue, in catalogue order' })
  @ApiCollectionResponse(AchievementDefinitionDto)
  async catalogue(): Promise<DataEnvelope<AchievementDefinitionDto[]>> {
    return ok(await this.achievements.catalogue());
  }

  @Get('me')
  @ApiOperation({ summary: "The caller's metrics, unlocked achievements, progress and effective limits" })
  @ApiDataResponse(AchievementsMeDto)
  async me(@CurrentUser() user: AuthUser): Promise<DataEnvelope<AchievementsMeDto>> {
    return ok(await this.achievements.me(user.id));
  }

  @Get('stats')
  @ApiOperation({ summary: "The caller's achievement metrics" })
  @ApiDataResponse(AchievementStatsResponseDto)
  async stats(@CurrentUser() user: AuthUser): Promise<DataEnvelope<AchievementStatsResponseDto>> {
    return ok({ stats: await this.achievements.stats(user.id) });
  }

  @Get('limits')
  @ApiOperation({ summary: "The caller's effective limits (tier plus perks)" })
  @ApiDataResponse(EffectiveLimitsResponseDto)
  async limits(@CurrentUser() user: AuthUser): Promise<DataEnvelope<EffectiveLimitsResponseDto>> {
    return ok({ effective_limits: await this.achievements.effectiveLimits(user.id) });
  }
}
