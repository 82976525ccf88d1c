import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActivityLogEntity } from '@app/core/database/entities';
import type { ActivityEntityType, ActivitySource } from '@app/core/database/enums';
import { deleteBefore } from '@app/core/jobs/retention-deletes';

export interface ActivityFilters {
  entityType?: ActivityEntityType;
  entityId?: string;
  action?: string;
  source?: ActivitySource;
  /** Inclusive bounds on created_at. */
  since: Date;
  until?: Date;
}

const PURGE_BATCH = 1000;

@Injectable()
export class ActivityRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** One page of the user's entries, newest first (id tie-break), plus the total. */
  async list(
    userId: string,
    filters: ActivityFilters,
    page: { offset: number; limit: number },
  ): Promise<{ items: ActivityLogEntity[]; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(ActivityLogEntity, 'a')
      .where('a.user_id = :userId', { userId })
      .andWhere('a.created_at >= :since', { since: filters.since });
    if (filters.until) query.andWhere('a.created_at <= :until', { until: filters.until });
    if (filters.entityType) query.andWhere('a.entity_type = :entityType', { entityType: filters.entityType });
    if (filters.entityId) query.andWhere('a.entity_id = :entityId', { entityId: filters.entityId });
    if (filters.action) query.andWhere('a.action = :action', { action: filters.action });
    if (filters.source) query.andWhere('a.source = :source', { source: filters.source });
    const [items, total] = await query
      .orderBy('a.createdAt', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .offset(page.offset)
      .limit(page.limit)
      .getManyAndCount();
    return { items, total };
  }

  /** Deletes entries created before `cutoff` in batches of 1000 (docs/jobs.md §4); returns the count. */
  purgeBefore(cutoff: Date): Promise<number> {
    return deleteBefore(
      this.dataSource,
      { table: 'activity_logs', key: 'id', column: 'created_at' },
      cutoff,
      PURGE_BATCH,
    );
  }
}
