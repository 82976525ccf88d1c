import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '@app/core/events/domain-event';
import { OnDomainEvent } from '@app/core/events/on-domain-event.decorator';
import type { Transaction } from '@app/core/events/transaction';
import { NotificationsService } from '@app/notifications/notifications.service';
import { AchievementUnlocked, AchievementUnlockedPayload } from './achievement.events';
import { unlockNotificationText } from './achievement-rules';

/** The unlock notification of docs/rules.md §4 (tx-safe: a failure never undoes the unlock). */
@Injectable()
export class AchievementNotifier {
  constructor(private readonly notifications: NotificationsService) {}

  @OnDomainEvent(AchievementUnlocked, 'tx-safe')
  async notify(event: DomainEvent<AchievementUnlockedPayload>, tx: Transaction): Promise<void> {
    const { achievement_id: id, name, description, perk_type: perkType, perk_value: perkValue } = event.payload;
    await this.notifications.create(tx, {
      userId: event.userId,
      type: 'achievement',
      ...unlockNotificationText({ name, description, perkType, perkValue }),
      actionUrl: '/achievements',
      sourceRef: `achievement:${event.userId}:${id}`,
      createdAt: event.occurredAt,
    });
  }
}
