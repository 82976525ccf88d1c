import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/core/events/domain-event';
import type { Transaction } from '@app/core/events/transaction';
import { runTxSafe } from '@app/core/events/tx-safe';
import { NotificationsService } from '@app/notifications/notifications.service';
import type { AchievementUnlockedPayload } from './achievement.events';
import { unlockNotificationText } from './achievement-rules';

/** The unlock notification of docs/rules.md §4 (tx-safe: a failure never undoes the unlock). */
@Injectable()
export class AchievementNotifier {
  constructor(private readonly notifications: NotificationsService) {}

  /** Notifies the unlock that `event` (`achievement.unlocked`, just emitted) reports. */
  async notify(tx: Transaction, event: DomainEvent<AchievementUnlockedPayload>): Promise<void> {
    const { achievement_id: id, name, description, perk_type: perkType, perk_value: perkValue } = event.payload;
    await runTxSafe(tx, 'AchievementNotifier.notify', event, () =>
      this.notifications.create(tx, {
        userId: event.userId,
        type: 'achievement',
        ...unlockNotificationText({ name, description, perkType, perkValue }),
        actionUrl: '/achievements',
        sourceRef: `achievement:${event.userId}:${id}`,
        createdAt: event.occurredAt,
      }),
    );
  }
}
