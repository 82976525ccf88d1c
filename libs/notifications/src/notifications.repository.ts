import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NotificationEntity } from '@app/core/database/entities';
import type { NotificationType } from '@app/core/database/enums';

export interface NotificationInsert {
  userId: string;
  type: NotificationType;
  title: string;
  body: string;
  actionUrl: string | null;
  taskId: string | null;
  sourceRef: string | null;
  createdAt: Date;
}

export interface NotificationFilter {
  unreadOnly: boolean;
  type?: NotificationType;
  offset: number;
  limit: number;
}

export interface NotificationPage {
  items: NotificationEntity[];
  total: number;
  unreadCount: number;
}

interface NotificationRow {
  id: string;
  user_id: string;
  type: NotificationType;
  title: string;
  body: string;
  action_url: string | null;
  task_id: string | null;
  read: boolean;
  read_at: Date | null;
  source_ref: string | null;
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts unless a notification with the same `source_ref` exists; null when it did. */
  async insert(manager: EntityManager, notification: NotificationInsert): Promise<NotificationEntity | null> {
    const rows: NotificationRow[] = await manager.query(
      `INSERT INTO notifications (user_id, type, title, body, action_url, task_id, source_ref, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
       ON CONFLICT DO NOTHING
       RETURNING *`,
      [
        notification.userId,
        notification.type,
        notification.title,
        notification.body,
        notification.actionUrl,
        notification.taskId,
        notification.sourceRef,
        notification.createdAt,
      ],
    );
    return rows[0] ? toEntity(rows[0]) : null;
  }

  /**
   * `insert` for many notifications (ids chosen by the caller) in one statement; returns those
   * created: one whose `source_ref` was already used is skipped.
   */
  async insertMany(
    manager: EntityManager,
    notifications: Array<NotificationInsert & { id: string }>,
  ): Promise<NotificationEntity[]> {
    if (notifications.length === 0) return [];
    const column = <K extends keyof (NotificationInsert & { id: string })>(key: K) =>
      notifications.map((notification) => notification[key]);
    const rows: NotificationRow[] = await manager.query(
      `INSERT INTO notifications (id, user_id, type, title, body, action_url, task_id, source_ref, created_at, updated_at)
       SELECT id, user_id, type, title, body, action_url, task_id, source_ref, created_at, created_at
       FROM unnest($9::uuid[], $1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[],
                   $8::timestamptz[])
         AS n(id, user_id, type, title, body, action_url, task_id, source_ref, created_at)
       ON CONFLICT DO NOTHING
       RETURNING *`,
      [
        column('userId'),
        column('type'),
        column('title'),
        column('body'),
        column('actionUrl'),
        column('taskId'),
        column('sourceRef'),
        column('createdAt'),
        column('id'),
      ],
    );
    return rows.map(toEntity);
  }

  /** The ids of the notifications holding these dedupe keys, by key. */
  async idsBySourceRef(manager: EntityManager, sourceRefs: string[]): Promise<Map<string, string>> {
    if (sourceRefs.length === 0) return new Map();
    const rows: Array<{ id: string; source_ref: string }> = await manager.query(
      `SELECT id, source_ref FROM notifications WHERE source_ref = ANY($1::text[])`,
      [sourceRefs],
    );
    return new Map(rows.map((row) => [row.source_ref, row.id]));
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<NotificationEntity | null> {
    return manager.findOne(NotificationEntity, { where: { id } });
  }

  /** One page, its total and the user's unread count in one query (the counts row survives an empty page). */
  async page(userId: string, filter: NotificationFilter): Promise<NotificationPage> {
    const rows: Array<NotificationRow & { total: number; unread_count: number }> = await this.dataSource.query(
      `SELECT c.total, c.unread_count, n.*
       FROM (SELECT count(*) FILTER (WHERE ($2::boolean IS FALSE OR read = false) AND ($3::text IS NULL OR type = $3))::int AS total,
                    count(*) FILTER (WHERE read = false)::int AS unread_count
             FROM notifications WHERE user_id = $1) c
       LEFT JOIN LATERAL (
         SELECT * FROM notifications
         WHERE user_id = $1 AND ($2::boolean IS FALSE OR read = false) AND ($3::text IS NULL OR type = $3)
         ORDER BY created_at DESC, id DESC
         OFFSET $4 LIMIT $5
       ) n ON true`,
      [userId, filter.unreadOnly, filter.type ?? null, filter.offset, filter.limit],
    );
    const first = rows[0];
    return {
      items: rows.filter((row) => row.id !== null).map(toEntity),
      total: first?.total ?? 0,
      unreadCount: first?.unread_count ?? 0,
    };
  }

  /** Sets the read state; marking read keeps the first `read_at`, unread clears it. */
  async setRead(manager: EntityManager, id: string, read: boolean, now: Date): Promise<NotificationEntity> {
    const rows: NotificationRow[] = await manager.query(
      `WITH changed AS (
         UPDATE notifications
         SET read = $2,
             read_at = CASE WHEN $2 THEN COALESCE(read_at, $3) ELSE NULL END,
             updated_at = CASE WHEN read = $2 THEN updated_at ELSE $3 END
         WHERE id = $1
         RETURNING *
       )
       SELECT * FROM changed`,
      [id, read, now],
    );
    return toEntity(rows[0]);
  }

  async markAllRead(userId: string, now: Date): Promise<number> {
    const rows: Array<{ count: number }> = await this.dataSource.query(
      `WITH changed AS (
         UPDATE notifications SET read = true, read_at = $2, updated_at = $2
         WHERE user_id = $1 AND read = false
         RETURNING 1
       )
       SELECT count(*)::int AS count FROM changed`,
      [userId, now],
    );
    return rows[0].count;
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(NotificationEntity, { id });
  }
}

function toEntity(row: NotificationRow): NotificationEntity {
  return Object.assign(new NotificationEntity(), {
    id: row.id,
    userId: row.user_id,
    type: row.type,
    title: row.title,
    body: row.body,
    actionUrl: row.action_url,
    taskId: row.task_id,
    read: row.read,
    readAt: row.read_at,
    sourceRef: row.source_ref,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}
