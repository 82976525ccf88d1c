import { ApiProperty } from '@nestjs/swagger';
import { TaskResponseDto } from './task-response.dto';
import { UnlockedAchievementDto } from '@app/achievements/dto/unlocked-achievement.dto';

/** `PATCH /tasks/{id}`: the task plus the achievements this call unlocked (usually none). */
export class TaskWithAchievementsResponseDto extends TaskResponseDto {
  @ApiProperty({ description: 'Achievements unlocked by this change', type: [UnlockedAchievementDto] })
  unlocked_achievements: UnlockedAchievementDto[];
}
