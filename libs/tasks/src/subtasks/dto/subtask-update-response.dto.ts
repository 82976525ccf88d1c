import { ApiProperty } from '@nestjs/swagger';
import { UnlockedAchievementDto } from '@app/achievements/dto/unlocked-achievement.dto';
import { SubtaskResponseDto } from './subtask-response.dto';

/** `PATCH /subtasks/{id}`: the subtask, whether it auto-completed its task, and unlocked achievements. */
export class SubtaskUpdateResponseDto extends SubtaskResponseDto {
  @ApiProperty({ description: 'True when this call completed the parent task (completed_by auto)', example: false })
  task_auto_completed: boolean;

  @ApiProperty({ description: 'Achievements unlocked by an auto-completion', type: [UnlockedAchievementDto] })
  unlocked_achievements: UnlockedAchievementDto[];
}
