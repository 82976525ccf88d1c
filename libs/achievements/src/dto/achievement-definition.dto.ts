import { ApiProperty } from '@nestjs/swagger';
import type { AchievementDefinitionEntity } from '@app/core/database/entities';
import { ACHIEVEMENT_CATEGORIES, AchievementCategory, PERK_TYPES, PerkType } from '@app/core/database/enums';

/** AchievementDefinition (docs/api.md §2). */
export class AchievementDefinitionDto {
  @ApiProperty({ description: 'Achievement id', example: 'tasks_5' })
  id: string;

  @ApiProperty({ description: 'Display name', example: 'Task Starter' })
  name: string;

  @ApiProperty({ description: 'What unlocks it', example: 'Complete 5 tasks' })
  description: string;

  @ApiProperty({ description: 'Always the same text as `description`', example: 'Complete 5 tasks' })
  message: string;

  @ApiProperty({
    description: 'Metric family',
    enum: ACHIEVEMENT_CATEGORIES,
    enumName: 'AchievementCategory',
    example: 'tasks',
  })
  category: AchievementCategory;

  @ApiProperty({ description: 'Metric value that unlocks it', minimum: 1, example: 5 })
  threshold: number;

  @ApiProperty({
    description: 'Limit the perk raises',
    enum: PERK_TYPES,
    enumName: 'PerkType',
    nullable: true,
    example: 'max_tasks',
  })
  perk_type: PerkType | null;

  @ApiProperty({ description: 'Amount the perk adds', nullable: true, type: Number, minimum: 1, example: 15 })
  perk_value: number | null;
}

export function toAchievementDefinition(entity: AchievementDefinitionEntity): AchievementDefinitionDto {
  return {
    id: entity.id,
    name: entity.name,
    description: entity.description,
    message: entity.description,
    category: entity.category,
    threshold: entity.threshold,
    perk_type: entity.perkType,
    perk_value: entity.perkValue,
  };
}
