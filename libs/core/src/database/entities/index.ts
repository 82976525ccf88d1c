import { AchievementDefinitionEntity } from './achievement-definition.entity';
import { ActivityLogEntity } from './activity-log.entity';
import { CalendarFeedEntity } from './calendar-feed.entity';
import { CreditLedgerEntryEntity } from './credit-ledger-entry.entity';
import { DataExportEntity } from './data-export.entity';
import { DeletionTombstoneEntity } from './deletion-tombstone.entity';
import { FocusSessionEntity } from './focus-session.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { JobRunnerHeartbeatEntity } from './job-runner-heartbeat.entity';
import { NoteEntity } from './note.entity';
import { NotificationEntity } from './notification.entity';
import { PaymentSessionEntity } from './payment-session.entity';
import { PersonalAccessTokenEntity } from './personal-access-token.entity';
import { PushSubscriptionEntity } from './push-subscription.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { ReminderEntity } from './reminder.entity';
import { RetainedPaymentRecordEntity } from './retained-payment-record.entity';
import { SubscriptionPaymentEntity } from './subscription-payment.entity';
import { SubscriptionEntity } from './subscription.entity';
import { SubtaskEntity } from './subtask.entity';
import { SyncChangeEntity } from './sync-change.entity';
import { TaskTemplateEntity } from './task-template.entity';
import { TaskEntity } from './task.entity';
import { UserAchievementStateEntity } from './user-achievement-state.entity';
import { UserAchievementEntity } from './user-achievement.entity';
import { UserEntity } from './user.entity';
import { VoiceSessionEntity } from './voice-session.entity';
import { WebhookEventEntity } from './webhook-event.entity';

export {
  AchievementDefinitionEntity,
  ActivityLogEntity,
  CalendarFeedEntity,
  CreditLedgerEntryEntity,
  DataExportEntity,
  DeletionTombstoneEntity,
  FocusSessionEntity,
  IdempotencyKeyEntity,
  JobRunnerHeartbeatEntity,
  NoteEntity,
  NotificationEntity,
  PaymentSessionEntity,
  PersonalAccessTokenEntity,
  PushSubscriptionEntity,
  RefreshTokenEntity,
  ReminderEntity,
  RetainedPaymentRecordEntity,
  SubscriptionEntity,
  SubscriptionPaymentEntity,
  SubtaskEntity,
  SyncChangeEntity,
  TaskEntity,
  TaskTemplateEntity,
  UserAchievementEntity,
  UserAchievementStateEntity,
  UserEntity,
  VoiceSessionEntity,
  WebhookEventEntity,
};

/** Every entity of the data model; the one list used by the API, the worker and `ormconfig.ts`. */
export const ENTITIES = [
  UserEntity,
  RefreshTokenEntity,
  TaskTemplateEntity,
  TaskEntity,
  SubtaskEntity,
  ReminderEntity,
  NoteEntity,
  FocusSessionEntity,
  DeletionTombstoneEntity,
  AchievementDefinitionEntity,
  UserAchievementStateEntity,
  UserAchievementEntity,
  CreditLedgerEntryEntity,
  SubscriptionEntity,
  SubscriptionPaymentEntity,
  PaymentSessionEntity,
  WebhookEventEntity,
  NotificationEntity,
  PushSubscriptionEntity,
  VoiceSessionEntity,
  ActivityLogEntity,
  IdempotencyKeyEntity,
  JobRunnerHeartbeatEntity,
  CalendarFeedEntity,
  DataExportEntity,
  RetainedPaymentRecordEntity,
  SyncChangeEntity,
  PersonalAccessTokenEntity,
];
