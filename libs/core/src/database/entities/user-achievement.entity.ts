import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per unlocked achievement; never deleted (perks are permanent). */
@Entity({ name: 'user_achievements' })
export class UserAchievementEntity {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'achievement_id', type: 'varchar', length: 32 })
  achievementId: string;

  @Column({ name: 'unlocked_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  unlockedAt: Date;
}
