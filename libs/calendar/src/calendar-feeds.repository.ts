import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  CalendarFeedEntity,
  ReminderEntity,
  TaskEntity,
  TaskTemplateEntity,
  UserEntity,
} from '@app/core/database/entities';
import type { CalendarContent } from './calendar-rules';

/**
 * Digest of every row the calendar shows (whole rows, order-independent): any change to what
 * `content()` reads changes it. One aggregate query, no rendering.
 */
const CONTENT_STAMP_SQL = `
  SELECT md5(concat_ws('|',
    (SELECT u::text FROM users u WHERE u.id = $1),
    (SELECT count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0) FROM task_instances t
      WHERE t.user_id = $1 AND t.hidden = false AND t.due_date IS NOT NULL),
    (SELECT count(*) || ':' || coalesce(sum(hashtextextended(r::text, 0)), 0) FROM reminders r
      JOIN task_instances t ON t.id = r.task_id
      WHERE r.user_id = $1 AND t.hidden = false AND t.due_date IS NOT NULL),
    (SELECT count(*) || ':' || coalesce(sum(hashtextextended(tt::text, 0)), 0) FROM task_templates tt
      WHERE tt.user_id = $1 AND tt.active = true AND tt.next_due IS NOT NULL)
  )) AS stamp`;

@Injectable()
export class CalendarFeedsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the user's feed or gives it a new token (the old one stops working at once). */
  async issueToken(userId: string, tokenHash: string, now: Date): Promise<CalendarFeedEntity> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO calendar_feeds (user_id, token_hash, created_at, updated_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = $3, updated_at = $3
       RETURNING id`,
      [userId, tokenHash, now],
    );
    return this.dataSource.manager.findOneOrFail(CalendarFeedEntity, { where: { id: row.id } });
  }

  /** Deletes the user's feed; its id, or null when there was none. */
  async deleteForUser(userId: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `WITH deleted AS (DELETE FROM calendar_feeds WHERE user_id = $1 RETURNING id) SELECT id FROM deleted`,
      [userId],
    );
    return rows[0]?.id ?? null;
  }

  findByTokenHash(tokenHash: string): Promise<CalendarFeedEntity | null> {
    return this.dataSource.manager.findOne(CalendarFeedEntity, { where: { tokenHash } });
  }

  /**
   * Records newly served content and its stamp; returns the stored Last-Modified. Only a
   * different hash moves it, and concurrent polls of the same new content agree on one value.
   */
  async recordContent(feedId: string, contentHash: string, stamp: string, changedAt: Date): Promise<Date> {
    const rows: Array<{ content_changed_at: Date }> = await this.dataSource.query(
      `WITH updated AS (
         UPDATE calendar_feeds SET content_hash = $2, content_stamp = $3,
           content_changed_at = CASE WHEN content_hash IS DISTINCT FROM $2 THEN $4 ELSE content_changed_at END
         WHERE id = $1 AND (content_hash IS DISTINCT FROM $2 OR content_stamp IS DISTINCT FROM $3)
         RETURNING content_changed_at
       )
       SELECT content_changed_at FROM updated
       UNION ALL SELECT content_changed_at FROM calendar_feeds WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM updated)`,
      [feedId, contentHash, stamp, changedAt],
    );
    return rows[0]?.content_changed_at ?? changedAt;
  }

  /** The current version stamp of the user's calendar (compared with the stored one before rendering). */
  async contentStamp(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const [row]: Array<{ stamp: string }> = await manager.query(CONTENT_STAMP_SQL, [userId]);
    return row.stamp;
  }

  /**
   * What the calendar shows, in a stable order, and its stamp, read in one snapshot so equal
   * data renders equally and the stamp always describes the rows rendered.
   */
  content(userId: string): Promise<CalendarContent & { stamp: string }> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager: EntityManager) => {
      const stamp = await this.contentStamp(userId, manager);
      const user = await manager.findOneOrFail(UserEntity, { where: { id: userId } });
      const tasks = await manager
        .createQueryBuilder(TaskEntity, 't')
        .where('t.user_id = :userId AND t.hidden = false AND t.due_date IS NOT NULL', { userId })
        .orderBy('t.due_date', 'ASC')
        .addOrderBy('t.id', 'ASC')
        .getMany();
      const reminders = await manager
        .createQueryBuilder(ReminderEntity, 'r')
        .innerJoin(TaskEntity, 't', 't.id = r.task_id')
        .where('r.user_id = :userId AND t.hidden = false AND t.due_date IS NOT NULL', { userId })
        .orderBy('r.scheduled_at', 'ASC')
        .addOrderBy('r.id', 'ASC')
        .getMany();
      const templates = await manager
        .createQueryBuilder(TaskTemplateEntity, 'tt')
        .where('tt.user_id = :userId AND tt.active = true AND tt.next_due IS NOT NULL', { userId })
        .orderBy('tt.created_at', 'ASC')
        .addOrderBy('tt.id', 'ASC')
        .getMany();
      return { calendarName: `${user.name} — Perpetua Flow`, tasks, reminders, templates, stamp };
    });
  }
}
