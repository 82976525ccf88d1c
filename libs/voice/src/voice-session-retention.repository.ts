import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import { VoiceSessionEntity } from '@app/core/database/entities';
import { deleteBefore } from '@app/core/jobs/retention-deletes';

/** The voice sessions' queries of `maintenance_cleanup` (docs/jobs.md §4). */
@Injectable()
export class VoiceSessionRetentionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async staleIds(startedBefore: Date): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM voice_sessions WHERE status = 'active' AND started_at <= $1 ORDER BY started_at, id`,
      [startedBefore],
    );
    return rows.map((row) => row.id);
  }

  /** Locks a session that is still active and stale; null when its gateway closed it meanwhile. */
  lockStale(manager: EntityManager, id: string, startedBefore: Date): Promise<VoiceSessionEntity | null> {
    return manager
      .createQueryBuilder(VoiceSessionEntity, 's')
      .setLock('pessimistic_write')
      .where("s.id = :id AND s.status = 'active' AND s.started_at <= :startedBefore", { id, startedBefore })
      .getOne();
  }

  /** Finished voice sessions that started before `cutoff` (stale active ones are closed first). */
  deleteFinished(cutoff: Date): Promise<number> {
    return deleteBefore(
      this.dataSource,
      { table: 'voice_sessions', key: 'id', column: 'started_at', also: `status <> 'active'` },
      cutoff,
      this.config.JOB_BATCH_SIZE,
    );
  }
}
