import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AchievementCategory, PerkType } from '../enums';

/** Static catalogue seeded by the initial migration (docs/rules.md §4); read-only at runtime. */
@Entity({ name: 'achievement_definitions' })
export class AchievementDefinitionEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 32 })
  id: string;

  @Column({ name: 'name', type: 'text' })
  name: string;

  @Column({ name: 'description', type: 'text' })
  description: string;

  @Column({ name: 'category', type: 'text' })
  category: AchievementCategory;

  @Column({ name: 'threshold', type: 'integer' })
  threshold: number;

  @Column({ name: 'perk_type', type: 'text', nullable: true })
  perkType: PerkType | null;

  @Column({ name: 'perk_value', type: 'integer', nullable: true })
  perkValue: number | null;
}
