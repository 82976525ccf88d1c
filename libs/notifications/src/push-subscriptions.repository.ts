import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PushSubscriptionEntity } from '@app/core/database/entities';

export interface PushSubscriptionUpsert {
  userId: string;
  endpoint: string;
  p256dhKey: string;
  authKey: string;
  userAgent: string | null;
  now: Date;
}

/** Push subscriptions a user keeps (docs/push-subscription-cap.md): registering one more replaces the oldest. */
export const MAX_PUSH_SUBSCRIPTIONS_PER_USER = 10;

@Injectable()
export class PushSubscriptionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Registers an endpoint; an existing one moves to this user with the new keys. Under the user
   * row's lock, the user's least recently registered subscriptions beyond the cap are deleted.
   */
  upsert(input: PushSubscriptionUpsert): Promise<{ subscription: PushSubscriptionEntity; created: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [input.userId]);
      const result = await this.upsertRow(manager, input);
      await manager.query(
        `DELETE FROM push_subscriptions WHERE id IN (
           SELECT id FROM push_subscriptions WHERE user_id = $1
           ORDER BY updated_at DESC, created_at DESC, id DESC OFFSET $2)`,
        [input.userId, MAX_PUSH_SUBSCRIPTIONS_PER_USER],
      );
      return result;
    });
  }

  private async upsertRow(
    manager: EntityManager,
    input: PushSubscriptionUpsert,
  ): Promise<{ subscription: PushSubscriptionEntity; created: boolean }> {
    const rows: Array<{ id: string; inserted: boolean }> = await manager.query(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh_key, auth_key, user_agent, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (endpoint) DO UPDATE
         SET user_id = EXCLUDED.user_id, p256dh_key = EXCLUDED.p256dh_key, auth_key = EXCLUDED.auth_key,
             user_agent = EXCLUDED.user_agent, failure_count = 0, updated_at = EXCLUDED.updated_at
       RETURNING id, (xmax = 0) AS inserted`,
      [input.userId, input.endpoint, input.p256dhKey, input.authKey, input.userAgent, input.now],
    );
    const subscription = await manager.findOneOrFail(PushSubscriptionEntity, { where: { id: rows[0].id } });
    return { subscription, created: rows[0].inserted };
  }

  findById(id: string): Promise<PushSubscriptionEntity | null> {
    return this.dataSource.manager.findOne(PushSubscriptionEntity, { where: { id } });
  }

  /** The push subscriptions of many users, each user's oldest first. */
  async idsOfUsers(manager: EntityManager, userIds: string[]): Promise<Array<{ id: string; userId: string }>> {
    if (userIds.length === 0) return [];
    const rows: Array<{ id: string; user_id: string }> = await manager.query(
      `SELECT id, user_id FROM push_subscriptions WHERE user_id = ANY($1::uuid[]) ORDER BY user_id, created_at, id`,
      [userIds],
    );
    return rows.map((row) => ({ id: row.id, userId: row.user_id }));
  }

  /** Removes the user's registration of `endpoint`; null when this user has none. */
  async deleteForUser(userId: string, endpoint: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `WITH removed AS (DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2 RETURNING id)
       SELECT id FROM removed`,
      [userId, endpoint],
    );
    return rows[0]?.id ?? null;
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.manager.delete(PushSubscriptionEntity, { id });
  }

  async recordSuccess(id: string, now: Date): Promise<void> {
    await this.dataSource.manager.update(
      PushSubscriptionEntity,
      { id },
      { lastUsedAt: now, failureCount: 0, updatedAt: now },
    );
  }

  async recordTransientFailure(id: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE push_subscriptions SET failure_count = failure_count + 1, updated_at = $2 WHERE id = $1`,
      [id, now],
    );
  }
}
