import { ApiProperty } from '@nestjs/swagger';
import { AchievementStatsDto } from './achievement-stats.dto';
import { EffectiveLimitsDto } from './effective-limits.dto';
import { UnlockedAchievementDto } from './unlocked-achievement.dto';

export class AchievementProgressDto {
  @ApiProperty({ description: 'Achievement id', example: 'tasks_100' })
  id: string;

  @ApiProperty({ description: 'Display name', example: 'Centurion' })
  name: string;

  @ApiProperty({ description: 'Current value of the metric', example: 27 })
  current: number;

  @ApiProperty({ description: 'Value that unlocks it', example: 100 })
  threshold: number;

  @ApiProperty({ description: 'Whether it is unlocked', example: false })
  unlocked: boolean;
}

export class AchievementsMeDto {
  @ApiProperty({ type: AchievementStatsDto })
  stats: AchievementStatsDto;

  @ApiProperty({ description: 'Unlocked achievement ids, catalogue order', type: [String], example: ['tasks_5'] })
  unlocked: string[];

  @ApiProperty({ description: 'The same achievements as objects, catalogue order', type: [UnlockedAchievementDto] })
  unlocked_achievements: UnlockedAchievementDto[];

  @ApiProperty({ description: 'Every achievement with its progress, catalogue order', type: [AchievementProgressDto] })
  progress: AchievementProgressDto[];

  @ApiProperty({ type: EffectiveLimitsDto })
  effective_limits: EffectiveLimitsDto;
}
