import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  ActivityLogEntity,
  CalendarFeedEntity,
  DeletionTombstoneEntity,
  FocusSessionEntity,
  NoteEntity,
  NotificationEntity,
  PaymentSessionEntity,
  PushSubscriptionEntity,
  ReminderEntity,
  SubscriptionPaymentEntity,
  SubtaskEntity,
  TaskEntity,
  TaskTemplateEntity,
  UserEntity,
  VoiceSessionEntity,
} from '@app/core/database/entities';
import type { LedgerRow } from '@app/credits/credit-ledger.repository';

/** Every row of one user that an export contains (docs/data-model.md, all user-owned tables). */
export interface PersonalData {
  user: UserEntity;
  tasks: TaskEntity[];
  subtasks: SubtaskEntity[];
  reminders: ReminderEntity[];
  templates: TaskTemplateEntity[];
  notes: NoteEntity[];
  focusSessions: FocusSessionEntity[];
  tombstones: DeletionTombstoneEntity[];
  ledger: LedgerRow[];
  subscriptionPayments: SubscriptionPaymentEntity[];
  paymentSessions: PaymentSessionEntity[];
  notifications: NotificationEntity[];
  pushSubscriptions: PushSubscriptionEntity[];
  voiceSessions: VoiceSessionEntity[];
  activity: ActivityLogEntity[];
  calendarFeed: CalendarFeedEntity | null;
}

/** Reads all of a user's data for the export, oldest first with id tie-breaks (stable documents). */
@Injectable()
export class PersonalDataRepository {
  async read(manager: EntityManager, userId: string): Promise<PersonalData | null> {
    const user = await manager.findOne(UserEntity, { where: { id: userId } });
    if (!user) return null;
    const byCreation = { createdAt: 'ASC', id: 'ASC' } as const;
    return {
      user,
      tasks: await manager.find(TaskEntity, { where: { userId }, order: byCreation }),
      subtasks: await manager
        .createQueryBuilder(SubtaskEntity, 's')
        .innerJoin(TaskEntity, 't', 't.id = s.task_id')
        .where('t.user_id = :userId', { userId })
        .orderBy('s.task_id', 'ASC')
        .addOrderBy('s.order_index', 'ASC')
        .getMany(),
      reminders: await manager.find(ReminderEntity, { where: { userId }, order: { scheduledAt: 'ASC', id: 'ASC' } }),
      templates: await manager.find(TaskTemplateEntity, { where: { userId }, order: byCreation }),
      notes: await manager.find(NoteEntity, { where: { userId }, order: byCreation }),
      focusSessions: await manager.find(FocusSessionEntity, { where: { userId }, order: byCreation }),
      tombstones: await manager.find(DeletionTombstoneEntity, {
        where: { userId },
        order: { deletedAt: 'ASC', id: 'ASC' },
      }),
      ledger: await manager.query(
        `SELECT id, user_id, credit_type, operation, amount, consumed, balance_after, operation_ref, expires_at, expired,
                source_id, description, created_at
         FROM ai_credit_ledger WHERE user_id = $1 AND status = 'committed' ORDER BY created_at, id`,
        [userId],
      ),
      subscriptionPayments: await manager.find(SubscriptionPaymentEntity, { where: { userId }, order: byCreation }),
      paymentSessions: await manager.find(PaymentSessionEntity, { where: { userId }, order: byCreation }),
      notifications: await manager.find(NotificationEntity, { where: { userId }, order: byCreation }),
      pushSubscriptions: await manager.find(PushSubscriptionEntity, { where: { userId }, order: byCreation }),
      voiceSessions: await manager.find(VoiceSessionEntity, { where: { userId }, order: byCreation }),
      activity: await manager.find(ActivityLogEntity, { where: { userId }, order: byCreation }),
      calendarFeed: await manager.findOne(CalendarFeedEntity, { where: { userId } }),
    };
  }
}
