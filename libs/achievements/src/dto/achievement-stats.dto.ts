import { ApiProperty } from '@nestjs/swagger';

/** The user's achievement metrics (`current_streak` is 0 once broken, even before the nightly job). */
export class AchievementStatsDto {
  @ApiProperty({ description: 'Counted task completions, ever', example: 27 })
  lifetime_tasks_completed: number;

  @ApiProperty({ description: 'Consecutive UTC days with a counted completion', example: 4 })
  current_streak: number;

  @ApiProperty({ description: 'Longest streak ever reached', example: 6 })
  longest_streak: number;

  @ApiProperty({ description: 'Completions with at least half the estimate in focus', example: 3 })
  focus_completions: number;

  @ApiProperty({ description: 'Notes converted to tasks (each note once)', example: 1 })
  notes_converted: number;
}

export class AchievementStatsResponseDto {
  @ApiProperty({ type: AchievementStatsDto })
  stats: AchievementStatsDto;
}
