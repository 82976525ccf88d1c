import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { NotificationType } from '@app/core/database/enums';
import type { NotificationEntity } from '@app/core/database/entities/notification.entity';
import { owned } from '@app/core/errors/owned';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { NotificationResponseDto, toNotificationResponse } from './dto/notification-response.dto';
import { NotificationCreated } from './notification.events';
import { BODY_MAX, TITLE_MAX, truncateCodePoints } from './notification-rules';
import { NotificationFilter, NotificationsRepository } from './notifications.repository';
import { PushSender } from './push-sender';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';

export interface NewNotification {
  userId: string;
  type: NotificationType;
  title: string;
  body: string;
  /** App-relative path, e.g. `/tasks/<id>`. */
  actionUrl?: string | null;
  /** Reminder notifications only: the task they are about. */
  taskId?: string | null;
  /** Dedupe key (e.g. `reminder:<id>`): a second notification with the same key is not created. */
  sourceRef?: string | null;
  /** Also send Web Push copies (docs/rules.md §13: reminders with `method=push`). */
  push?: boolean;
  /** Defaults to now; jobs pass their clock. */
  createdAt?: Date;
}

export interface NotificationPageResult {
  items: NotificationResponseDto[];
  total: number;
  unreadCount: number;
}

@Injectable()
export class NotificationsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly notifications: NotificationsRepository,
    private readonly pushSubscriptions: PushSubscriptionsRepository,
    private readonly pushSender: PushSender,
    private readonly jobs: JobQueue,
  ) {}

  /**
   * Stores an in-app notification inside the caller's transaction (title and body truncated),
   * emits `notification.created` and, for push copies, enqueues one `push_deliver` job per push
   * subscription of the user. Returns null when `sourceRef` was already used.
   */
  async create(tx: Transaction, input: NewNotification): Promise<NotificationResponseDto | null> {
    const [created] = await this.createMany(tx, [input]);
    return created ?? null;
  }

  /** `create` for many notifications with a few statements in all; returns those created. */
  async createMany(tx: Transaction, inputs: NewNotification[]): Promise<NotificationResponseDto[]> {
    return (await this.insertAndDeliver(tx, inputs)).map(toNotificationResponse);
  }

  /**
   * `createMany` for notifications that each carry a dedupe key (e.g. a burst of reminders);
   * returns the id of the notification holding each key, by key: created now (from the insert's
   * `RETURNING`), or earlier — looked up for the keys the insert skipped only, usually none.
   */
  async createKeyed(
    tx: Transaction,
    inputs: Array<NewNotification & { sourceRef: string }>,
  ): Promise<Map<string, string>> {
    const created = await this.insertAndDeliver(tx, inputs);
    const ids = new Map(created.map((notification) => [notification.sourceRef as string, notification.id]));
    const skipped = inputs.map((input) => input.sourceRef).filter((key) => !ids.has(key));
    if (skipped.length > 0) {
      for (const [key, id] of await this.notifications.idsBySourceRef(tx.manager, skipped)) ids.set(key, id);
    }
    return ids;
  }

  private async insertAndDeliver(tx: Transaction, inputs: NewNotification[]): Promise<NotificationEntity[]> {
    const byId = new Map<string, NewNotification>(inputs.map((input) => [randomUUID(), input]));
    const created = await this.notifications.insertMany(
      tx.manager,
      [...byId].map(([id, input]) => ({
        id,
        userId: input.userId,
        type: input.type,
        title: truncateCodePoints(input.title, TITLE_MAX),
        body: truncateCodePoints(input.body, BODY_MAX),
        actionUrl: input.actionUrl ?? null,
        taskId: input.taskId ?? null,
        sourceRef: input.sourceRef ?? null,
        createdAt: input.createdAt ?? new Date(),
      })),
    );
    await tx.emitAll(
      NotificationCreated,
      created.map((notification) => ({
        payload: { notification_id: notification.id, type: notification.type },
        options: { userId: notification.userId, source: 'system' as const, occurredAt: notification.createdAt },
      })),
    );
    const pushed = created.filter((notification) => byId.get(notification.id)?.push);
    if (pushed.length > 0 && this.pushSender.enabled) {
      const subscriptionsOf = new Map<string, string[]>();
      for (const { id, userId } of await this.pushSubscriptions.idsOfUsers(
        tx.manager,
        pushed.map((notification) => notification.userId),
      )) {
        subscriptionsOf.set(userId, [...(subscriptionsOf.get(userId) ?? []), id]);
      }
      await this.jobs.enqueueMany(
        tx.manager,
        'push_deliver',
        pushed.flatMap((notification) =>
          (subscriptionsOf.get(notification.userId) ?? []).map((subscriptionId) => ({
            data: { notification_id: notification.id, push_subscription_id: subscriptionId },
            singletonKey: `push:${notification.id}:${subscriptionId}`,
          })),
        ),
      );
    }
    return created;
  }

  async list(userId: string, filter: NotificationFilter): Promise<NotificationPageResult> {
    const page = await this.notifications.page(userId, filter);
    return { items: page.items.map(toNotificationResponse), total: page.total, unreadCount: page.unreadCount };
  }

  async setRead(userId: string, id: string, read: boolean): Promise<NotificationResponseDto> {
    return this.uow.run(async (tx) => {
      await this.findOwned(tx, userId, id);
      return toNotificationResponse(await this.notifications.setRead(tx.manager, id, read, new Date()));
    });
  }

  markAllRead(userId: string): Promise<number> {
    return this.notifications.markAllRead(userId, new Date());
  }

  async remove(userId: string, id: string): Promise<void> {
    await this.uow.run(async (tx) => {
      await this.findOwned(tx, userId, id);
      await this.notifications.delete(tx.manager, id);
    });
  }

  private async findOwned(tx: Transaction, userId: string, id: string): Promise<void> {
    owned(await this.notifications.findById(id, tx.manager), userId, 'Notification');
  }
}
