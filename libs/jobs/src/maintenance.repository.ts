import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface StaleVoiceSession {
  id: string;
  userId: string;
  durationSeconds: number;
  creditsUsed: number;
}

/** The retention deletes and stale-session queries of `maintenance_cleanup` (jobs.md §4). */
@Injectable()
export class MaintenanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Refresh tokens that expired or were revoked before `cutoff`. */
  deleteRefreshTokens(cutoff: Date): Promise<number> {
    return this.delete(`DELETE FROM refresh_tokens WHERE expires_at < $1 OR revoked_at < $1`, cutoff);
  }

  deleteWebhookEvents(cutoff: Date): Promise<number> {
    return this.delete(`DELETE FROM webhook_events WHERE received_at < $1`, cutoff);
  }

  /** Finished voice sessions that started before `cutoff` (stale active ones are closed first). */
  deleteVoiceSessions(cutoff: Date): Promise<number> {
    return this.delete(`DELETE FROM voice_sessions WHERE started_at < $1 AND status <> 'active'`, cutoff);
  }

  deleteHeartbeats(cutoff: Date): Promise<number> {
    return this.delete(`DELETE FROM job_runner_heartbeats WHERE last_seen_at < $1`, cutoff);
  }

  async staleVoiceSessionIds(startedBefore: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM voice_sessions WHERE status = 'active' AND started_at <= $1 ORDER BY started_at, id`,
      [startedBefore],
    );
    return rows.map((row) => row.id);
  }

  /** Locks a session that is still active and stale; null when its gateway closed it meanwhile. */
  async lockStaleVoiceSession(
    manager: EntityManager,
    id: string,
    startedBefore: Date,
  ): Promise<StaleVoiceSession | null> {
    const rows: Array<{ id: string; user_id: string; duration_seconds: number; credits_used: number }> =
      await manager.query(
        `SELECT id, user_id, duration_seconds, credits_used FROM voice_sessions
         WHERE id = $1 AND status = 'active' AND started_at <= $2
         FOR UPDATE`,
        [id, startedBefore],
      );
    const row = rows[0];
    return row
      ? { id: row.id, userId: row.user_id, durationSeconds: row.duration_seconds, creditsUsed: row.credits_used }
      : null;
  }

  async abortVoiceSession(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE voice_sessions SET status = 'aborted', end_reason = 'disconnect', ended_at = $2, updated_at = $2
       WHERE id = $1`,
      [id, now],
    );
  }

  private async delete(sql: string, cutoff: Date): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(sql, [cutoff]);
    return affected;
  }
}
