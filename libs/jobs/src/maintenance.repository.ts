import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import { VoiceSessionEntity } from '@app/core/database/entities';

/**
 * The retention deletes and stale-session queries of `maintenance_cleanup` (docs/jobs.md §4). Deletes
 * go by batches of keys, each its own statement, so that a large backlog never becomes one huge
 * transaction and what was deleted stays deleted if a later batch fails.
 */
@Injectable()
export class MaintenanceRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Refresh tokens that expired or were revoked before `cutoff`: one condition at a time, so that
   * each batch is read from its index (an `OR` makes the batch's `LIMIT` a sequential scan that
   * re-reads the rows already deleted, batch after batch).
   */
  async deleteRefreshTokens(cutoff: Date): Promise<number> {
    const expired = await this.deleteBatches('refresh_tokens', 'id', 'expires_at', cutoff);
    return expired + (await this.deleteBatches('refresh_tokens', 'id', 'revoked_at', cutoff));
  }

  deleteWebhookEvents(cutoff: Date): Promise<number> {
    return this.deleteBatches('webhook_events', 'event_id', 'received_at', cutoff);
  }

  /** Finished voice sessions that started before `cutoff` (stale active ones are closed first). */
  deleteVoiceSessions(cutoff: Date): Promise<number> {
    return this.deleteBatches('voice_sessions', 'id', 'started_at', cutoff, `status <> 'active'`);
  }

  deleteHeartbeats(cutoff: Date): Promise<number> {
    return this.deleteBatches('job_runner_heartbeats', 'runner_id', 'last_seen_at', cutoff);
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

  /**
   * Rows whose `column` is before `cutoff` (and match `also`), oldest first: read from the column's index.
   * The batch's keys are one array, looked up by the key's index: joined as `IN (subquery)`, a batch
   * that is a fair share of the table was a hash join over a scan of the whole table, per batch.
   */
  private async deleteBatches(
    table: string,
    key: string,
    column: string,
    cutoff: Date,
    also = 'true',
  ): Promise<number> {
    const limit = this.config.JOB_BATCH_SIZE;
    let deleted = 0;
    for (;;) {
      const [, affected]: [unknown, number] = await this.dataSource.query(
        `DELETE FROM ${table} WHERE ${key} = ANY(ARRAY(
           SELECT ${key} FROM ${table} WHERE ${column} < $1 AND ${also} ORDER BY ${column} LIMIT $2))`,
        [cutoff, limit],
      );
      deleted += affected;
      if (affected < limit) return deleted;
    }
  }
}
