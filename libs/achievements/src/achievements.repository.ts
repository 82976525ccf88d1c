import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AchievementDefinitionEntity } from '@app/core/database/entities';
import type { KeyRange } from '@app/core/jobs/key-ranges';
import { compareCatalogueOrder } from './achievement-rules';

/** A user's achievement metrics and streak (docs/data-model.md §11). */
export interface AchievementState {
  lifetimeTasksCompleted: number;
  currentStreak: number;
  longestStreak: number;
  lastCompletionDate: string | null;
  focusCompletions: number;
  notesConverted: number;
}

export interface UnlockRow {
  achievementId: string;
  unlockedAt: Date;
}

interface StateRow {
  lifetime_tasks_completed: number;
  current_streak: number;
  longest_streak: number;
  last_completion_date: string | null;
  focus_completions: number;
  notes_converted: number;
}

const STATE_COLUMNS = `lifetime_tasks_completed, current_streak, longest_streak, last_completion_date::text AS last_completion_date,
  focus_completions, notes_converted`;

@Injectable()
export class AchievementsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The static catalogue in catalogue order. */
  async catalogue(manager: EntityManager = this.dataSource.manager): Promise<AchievementDefinitionEntity[]> {
    const rows = await manager.find(AchievementDefinitionEntity);
    return rows.sort(compareCatalogueOrder);
  }

  /** Reads the state (zeros when the user has none yet). */
  async findState(userId: string, manager: EntityManager = this.dataSource.manager): Promise<AchievementState> {
    const rows: StateRow[] = await manager.query(
      `SELECT ${STATE_COLUMNS} FROM user_achievement_states WHERE user_id = $1`,
      [userId],
    );
    return toState(rows[0]);
  }

  /** Locks the state row for the rest of the transaction, creating it when missing. */
  async lockState(manager: EntityManager, userId: string): Promise<AchievementState> {
    await manager.query(`INSERT INTO user_achievement_states (user_id) VALUES ($1) ON CONFLICT (user_id) DO NOTHING`, [
      userId,
    ]);
    const rows: StateRow[] = await manager.query(
      `SELECT ${STATE_COLUMNS} FROM user_achievement_states WHERE user_id = $1 FOR UPDATE`,
      [userId],
    );
    return toState(rows[0]);
  }

  async saveState(manager: EntityManager, userId: string, state: AchievementState, now: Date): Promise<void> {
    await manager.query(
      `UPDATE user_achievement_states
       SET lifetime_tasks_completed = $2, current_streak = $3, longest_streak = $4, last_completion_date = $5,
           focus_completions = $6, notes_converted = $7, updated_at = $8
       WHERE user_id = $1`,
      [
        userId,
        state.lifetimeTasksCompleted,
        state.currentStreak,
        state.longestStreak,
        state.lastCompletionDate,
        state.focusCompletions,
        state.notesConverted,
        now,
      ],
    );
  }

  /** Inserts the unlocks that do not exist yet; returns the ids actually inserted. */
  async insertUnlocks(manager: EntityManager, userId: string, achievementIds: string[], at: Date): Promise<string[]> {
    if (achievementIds.length === 0) return [];
    const rows: Array<{ achievement_id: string }> = await manager.query(
      `INSERT INTO user_achievements (user_id, achievement_id, unlocked_at)
       SELECT $1, id, $3 FROM unnest($2::varchar[]) AS id
       ON CONFLICT DO NOTHING
       RETURNING achievement_id`,
      [userId, achievementIds, at],
    );
    return rows.map((row) => row.achievement_id);
  }

  async unlocksOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<UnlockRow[]> {
    const rows: Array<{ achievement_id: string; unlocked_at: Date }> = await manager.query(
      `SELECT achievement_id, unlocked_at FROM user_achievements WHERE user_id = $1`,
      [userId],
    );
    return rows.map((row) => ({ achievementId: row.achievement_id, unlockedAt: row.unlocked_at }));
  }

  /** Users whose positive streak was last extended before `before` (a UTC date). */
  /** How many streaks are > 0 with a last completion before `before` (sets the job's batches). */
  async brokenStreakCount(manager: EntityManager, before: string): Promise<number> {
    const [row]: Array<{ count: number }> = await manager.query(
      `SELECT count(*)::int AS count FROM user_achievement_states
       WHERE current_streak > 0 AND last_completion_date < $1::date`,
      [before],
    );
    return row.count;
  }

  /**
   * Sets `current_streak = 0` for the users of `range` whose streak is > 0 with a last completion
   * before `before`, under their state locks; returns each user's previous streak. The UPDATE
   * repeats the range: the planner cannot size the locked rows, and joined them to a scan of the
   * whole table per batch.
   */
  async resetStreaksEndedBefore(
    manager: EntityManager,
    range: KeyRange,
    before: string,
    now: Date,
  ): Promise<Array<{ userId: string; previousStreak: number }>> {
    const rows: Array<{ user_id: string; previous_streak: number }> = await manager.query(
      `WITH broken AS (
         SELECT user_id, current_streak FROM user_achievement_states
         WHERE user_id >= $1::uuid AND ($2::uuid IS NULL OR user_id < $2::uuid)
           AND current_streak > 0 AND last_completion_date < $3::date
         ORDER BY user_id FOR UPDATE
       ), reset AS (
         UPDATE user_achievement_states s SET current_streak = 0, updated_at = $4
         FROM broken b WHERE s.user_id = b.user_id
           AND s.user_id >= $1::uuid AND ($2::uuid IS NULL OR s.user_id < $2::uuid)
         RETURNING s.user_id, b.current_streak AS previous_streak
       )
       SELECT user_id, previous_streak FROM reset ORDER BY user_id`,
      [range.from, range.to, before, now],
    );
    return rows.map((row) => ({ userId: row.user_id, previousStreak: row.previous_streak }));
  }
}

function toState(row: StateRow | undefined): AchievementState {
  return {
    lifetimeTasksCompleted: row?.lifetime_tasks_completed ?? 0,
    currentStreak: row?.current_streak ?? 0,
    longestStreak: row?.longest_streak ?? 0,
    lastCompletionDate: row?.last_completion_date ?? null,
    focusCompletions: row?.focus_completions ?? 0,
    notesConverted: row?.notes_converted ?? 0,
  };
}
