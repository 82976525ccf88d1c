import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { VoiceSessionEntity } from '@app/core/database/entities';

/** The retention deletes and stale-session queries of `maintenance_cleanup` (docs/jobs.md §4). */
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
  lockStaleVoiceSession(manager: EntityManager, id: string, startedBefore: Date): Promise<VoiceSessionEntity | null> {
    return manager
      .createQueryBuilder(VoiceSessionEntity, 's')
      .setLock('pessimistic_write')
      .where("s.id = :id AND s.status = 'active' AND s.started_at <= :startedBefore", { id, startedBefore })
      .getOne();
  }

  private async delete(sql: string, cutoff: Date): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(sql, [cutoff]);
    return affected;
  }
}
