import { ApiProperty } from '@nestjs/swagger';
import { TaskDetailResponseDto } from './task-detail-response.dto';
import { UnlockedAchievementDto } from '@app/achievements/dto/unlocked-achievement.dto';

/** `POST /tasks/{id}/force-complete`. */
export class ForceCompleteResponseDto {
  @ApiProperty({ description: 'The completed task with its subtasks and reminders', type: TaskDetailResponseDto })
  task: TaskDetailResponseDto;

  @ApiProperty({ description: 'Achievements unlocked by this completion', type: [UnlockedAchievementDto] })
  unlocked_achievements: UnlockedAchievementDto[];

  @ApiProperty({ description: 'Current streak after the completion (days)', example: 3 })
  streak: number;
}
