import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventBus } from '@app/core/events/event-bus';
import { NotificationsService } from '@app/notifications/notifications.service';
import { AchievementUnlocked } from './achievement.events';
import { unlockNotificationText } from './achievement-rules';

/** The unlock notification of docs/rules.md §4 (tx-safe: a failure never undoes the unlock). */
@Injectable()
export class AchievementNotifier implements OnModuleInit {
  constructor(
    private readonly bus: EventBus,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    this.bus.on(AchievementUnlocked, 'tx-safe', 'achievement-notification', async (event, tx) => {
      const { achievement_id: id, name, description, perk_type: perkType, perk_value: perkValue } = event.payload;
      await this.notifications.create(tx, {
        userId: event.userId,
        type: 'achievement',
        ...unlockNotificationText({ name, description, perkType, perkValue }),
        actionUrl: '/achievements',
        sourceRef: `achievement:${event.userId}:${id}`,
        createdAt: event.occurredAt,
      });
    });
  }
}
