import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Reads the current streak as reads report it (docs/rules.md §5): 0 once a day was missed. */
@Injectable()
export class StreakReader {
  async currentStreak(manager: EntityManager, userId: string, now: Date): Promise<number> {
    const rows: Array<{ streak: number }> = await manager.query(
      `SELECT CASE WHEN last_completion_date >= ($2::timestamptz AT TIME ZONE 'UTC')::date - 1
                   THEN current_streak ELSE 0 END AS streak
       FROM user_achievement_states WHERE user_id = $1`,
      [userId, now],
    );
    return rows[0]?.streak ?? 0;
  }
}
