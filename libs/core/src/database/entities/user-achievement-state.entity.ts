import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'user_achievement_states' })
export class UserAchievementStateEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Unique: one state row per user, created together with the user. */
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'lifetime_tasks_completed', type: 'integer', default: 0 })
  lifetimeTasksCompleted: number;

  @Column({ name: 'current_streak', type: 'integer', default: 0 })
  currentStreak: number;

  @Column({ name: 'longest_streak', type: 'integer', default: 0 })
  longestStreak: number;

  /** UTC calendar date, `YYYY-MM-DD`. */
  @Column({ name: 'last_completion_date', type: 'date', nullable: true })
  lastCompletionDate: string | null;

  @Column({ name: 'focus_completions', type: 'integer', default: 0 })
  focusCompletions: number;

  @Column({ name: 'notes_converted', type: 'integer', default: 0 })
  notesConverted: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
