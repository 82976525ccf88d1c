import { ApiProperty } from '@nestjs/swagger';
import type { AchievementDefinitionEntity } from '@app/core/database/entities';
import { PERK_TYPES, PerkType } from '@app/core/database/enums';

export class PerkDto {
  @ApiProperty({ description: 'Limit the perk raises', enum: PERK_TYPES, enumName: 'PerkType', example: 'max_tasks' })
  type: PerkType;

  @ApiProperty({ description: 'Amount added to that limit', minimum: 1, example: 15 })
  value: number;
}

/** UnlockedAchievement (docs/api.md §2): returned by unlocking actions and `achievements/me`. */
export class UnlockedAchievementDto {
  @ApiProperty({ description: 'Achievement id', example: 'tasks_5' })
  id: string;

  @ApiProperty({ description: 'Display name', example: 'Task Starter' })
  name: string;

  @ApiProperty({ description: 'What unlocked it', example: 'Complete 5 tasks' })
  description: string;

  @ApiProperty({ description: 'Unlock time (UTC)', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  unlocked_at: string;

  @ApiProperty({ description: 'The perk, or null', type: PerkDto, nullable: true })
  perk: PerkDto | null;

  @ApiProperty({
    description: 'Same as `perk.type`',
    enum: PERK_TYPES,
    enumName: 'PerkType',
    nullable: true,
    example: 'max_tasks',
  })
  perk_type: PerkType | null;

  @ApiProperty({ description: 'Same as `perk.value`', nullable: true, type: Number, example: 15 })
  perk_value: number | null;
}

export function toUnlockedAchievement(
  definition: AchievementDefinitionEntity,
  unlockedAt: Date,
): UnlockedAchievementDto {
  const perk =
    definition.perkType !== null && definition.perkValue !== null
      ? { type: definition.perkType, value: definition.perkValue }
      : null;
  return {
    id: definition.id,
    name: definition.name,
    description: definition.description,
    unlocked_at: unlockedAt.toISOString(),
    perk,
    perk_type: perk?.type ?? null,
    perk_value: perk?.value ?? null,
  };
}
