import { Injectable } from '@nestjs/common';
import { ListEnvelope, paginated } from '@app/core/http/envelope';
import { ActivityRepository } from './activity.repository';
import { retentionCutoff } from './activity-retention';
import { ActivityEntryResponseDto, toActivityEntryResponse } from './dto/activity-entry-response.dto';
import type { ListActivityQueryDto } from './dto/list-activity-query.dto';

/** The caller's activity log: only their own entries of the last 30 days. */
@Injectable()
export class ActivityService {
  constructor(private readonly activity: ActivityRepository) {}

  async list(userId: string, query: ListActivityQueryDto): Promise<ListEnvelope<ActivityEntryResponseDto>> {
    const cutoff = retentionCutoff(new Date());
    const since = query.since && query.since.getTime() > cutoff.getTime() ? query.since : cutoff;
    const page = { offset: query.offset, limit: query.limit };
    const { items, total } = await this.activity.list(
      userId,
      {
        entityType: query.entity_type,
        entityId: query.entity_id,
        action: query.action,
        source: query.source,
        since,
        until: query.until,
      },
      page,
    );
    return paginated(items.map(toActivityEntryResponse), page, total);
  }
}
