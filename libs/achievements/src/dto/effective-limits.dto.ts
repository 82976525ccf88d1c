import { ApiProperty } from '@nestjs/swagger';
import type { TierLimits } from '@app/limits/tier-limits';

/** The user's effective limits: tier base plus perks (docs/rules.md §1). */
export class EffectiveLimitsDto {
  @ApiProperty({ description: 'Active tasks allowed', example: 90 })
  max_tasks: number;

  @ApiProperty({ description: 'Non-archived notes allowed', example: 10 })
  max_notes: number;

  @ApiProperty({ description: 'Daily AI credit allowance', example: 0 })
  daily_ai_credits: number;

  @ApiProperty({ description: 'Subtasks per task', example: 4 })
  max_subtasks: number;

  @ApiProperty({ description: 'Task/template description length', example: 1000 })
  max_description_length: number;
}

export class EffectiveLimitsResponseDto {
  @ApiProperty({ type: EffectiveLimitsDto })
  effective_limits: EffectiveLimitsDto;
}

export function toEffectiveLimits(limits: TierLimits): EffectiveLimitsDto {
  return {
    max_tasks: limits.maxActiveTasks,
    max_notes: limits.maxActiveNotes,
    daily_ai_credits: limits.dailyCredits,
    max_subtasks: limits.maxSubtasksPerTask,
    max_description_length: limits.maxDescriptionLength,
  };
}
