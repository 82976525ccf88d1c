// Enumerations of the data model (docs/data-model.md). Stored as text with a CHECK constraint using
// exactly these lowercase values; the initial migration spells them out literally.

export const USER_TIERS = ['free', 'pro'] as const;
export type UserTier = (typeof USER_TIERS)[number];

export const TASK_PRIORITIES = ['low', 'medium', 'high'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const TASK_COMPLETION_MODES = ['manual', 'auto', 'force'] as const;
export type TaskCompletionMode = (typeof TASK_COMPLETION_MODES)[number];

export const SUBTASK_SOURCES = ['user', 'ai'] as const;
export type SubtaskSource = (typeof SUBTASK_SOURCES)[number];

export const REMINDER_TYPES = ['before', 'after', 'absolute'] as const;
export type ReminderType = (typeof REMINDER_TYPES)[number];

export const REMINDER_METHODS = ['push', 'in_app'] as const;
export type ReminderMethod = (typeof REMINDER_METHODS)[number];

export const TRANSCRIPTION_STATUSES = ['pending', 'completed', 'failed'] as const;
export type TranscriptionStatus = (typeof TRANSCRIPTION_STATUSES)[number];

export const TOMBSTONE_ENTITY_TYPES = ['task', 'note'] as const;
export type TombstoneEntityType = (typeof TOMBSTONE_ENTITY_TYPES)[number];

export const ACHIEVEMENT_CATEGORIES = ['tasks', 'streaks', 'focus', 'notes'] as const;
export type AchievementCategory = (typeof ACHIEVEMENT_CATEGORIES)[number];

export const PERK_TYPES = ['max_tasks', 'max_notes', 'daily_credits'] as const;
export type PerkType = (typeof PERK_TYPES)[number];

/** Seeded catalogue ids (docs/rules.md §4) in catalogue order: category, then threshold (docs/api.md §12). */
export const ACHIEVEMENT_IDS = [
  'tasks_5',
  'tasks_25',
  'tasks_100',
  'streak_7',
  'streak_30',
  'focus_10',
  'notes_10',
] as const;
export type AchievementId = (typeof ACHIEVEMENT_IDS)[number];

export const CREDIT_TYPES = ['kickstart', 'daily', 'subscription', 'purchased'] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

export const CREDIT_OPERATIONS = ['grant', 'consume', 'expire', 'carryover'] as const;
export type CreditOperation = (typeof CREDIT_OPERATIONS)[number];

export const CREDIT_ENTRY_STATUSES = ['pending', 'committed'] as const;
export type CreditEntryStatus = (typeof CREDIT_ENTRY_STATUSES)[number];

export const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'grace', 'cancelled', 'expired'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const SUBSCRIPTION_PAYMENT_OUTCOMES = ['captured', 'declined'] as const;
export type SubscriptionPaymentOutcome = (typeof SUBSCRIPTION_PAYMENT_OUTCOMES)[number];

export const SUBSCRIPTION_PAYMENT_REPORTERS = ['webhook', 'renewal_job', 'dev_login'] as const;
export type SubscriptionPaymentReporter = (typeof SUBSCRIPTION_PAYMENT_REPORTERS)[number];

export const PAYMENT_SESSION_PURPOSES = ['pro_subscription', 'credit_purchase'] as const;
export type PaymentSessionPurpose = (typeof PAYMENT_SESSION_PURPOSES)[number];

export const PAYMENT_SESSION_STATUSES = ['pending', 'completed', 'failed', 'expired'] as const;
export type PaymentSessionStatus = (typeof PAYMENT_SESSION_STATUSES)[number];

export const WEBHOOK_EVENT_OUTCOMES = ['processed', 'ignored'] as const;
export type WebhookEventOutcome = (typeof WEBHOOK_EVENT_OUTCOMES)[number];

export const NOTIFICATION_TYPES = ['reminder', 'achievement', 'subscription', 'system'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const VOICE_SESSION_STATUSES = ['active', 'completed', 'aborted', 'failed'] as const;
export type VoiceSessionStatus = (typeof VOICE_SESSION_STATUSES)[number];

export const VOICE_SESSION_END_REASONS = [
  'end_stream',
  'max_duration',
  'insufficient_credits',
  'idle',
  'disconnect',
  'provider_error',
] as const;
export type VoiceSessionEndReason = (typeof VOICE_SESSION_END_REASONS)[number];

export const ACTIVITY_ENTITY_TYPES = [
  'task',
  'subtask',
  'note',
  'reminder',
  'template',
  'subscription',
  'achievement',
  'ai_chat',
  'credit',
  'focus_session',
  'voice_session',
  'notification',
  'user',
  'access_token',
] as const;
export type ActivityEntityType = (typeof ACTIVITY_ENTITY_TYPES)[number];

/** `mcp`: a user's change made by an assistant through the MCP endpoint (docs/mcp.md §3). */
export const ACTIVITY_SOURCES = ['user', 'ai', 'system', 'mcp'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

/** What a personal access token may do (docs/access-tokens.md §2). */
export const ACCESS_TOKEN_SCOPES = ['read', 'write', 'ai'] as const;
export type AccessTokenScope = (typeof ACCESS_TOKEN_SCOPES)[number];

export const IDEMPOTENCY_STATES = ['in_progress', 'completed'] as const;
export type IdempotencyState = (typeof IDEMPOTENCY_STATES)[number];
