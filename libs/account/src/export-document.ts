import { toActivityEntryResponse } from '@app/activity/dto/activity-entry-response.dto';
import type { AchievementsMeDto } from '@app/achievements/dto/achievements-me.dto';
import type { SubscriptionStatusDto } from '@app/billing/dto/subscription-status.dto';
import type { CreditBalanceDto } from '@app/credits/dto/credit-balance.dto';
import { toCreditLedgerEntry } from '@app/credits/dto/credit-ledger-entry.dto';
import { toFocusSessionResponse } from '@app/focus/dto/focus-session-response.dto';
import { toNoteResponse } from '@app/notes/dto/note-response.dto';
import { toNotificationResponse } from '@app/notifications/dto/notification-response.dto';
import { toTombstoneResponse } from '@app/recovery/dto/tombstone-response.dto';
import { toTaskDetailResponse } from '@app/tasks/dto/task-detail-response.dto';
import { toTemplateResponse } from '@app/tasks/templates/dto/template-response.dto';
import { toUserResponse } from '@app/users/dto/user-response.dto';
import { toVoiceSessionResponse } from '@app/voice/dto/voice-session-response.dto';
import type { PersonalData } from './personal-data.repository';

export const EXPORT_FORMAT = 'perpetua-flow-export';
export const EXPORT_FORMAT_VERSION = 1;

/** What the export adds from other features' read models (computed, not stored). */
export interface DerivedData {
  achievements: AchievementsMeDto;
  creditBalance: CreditBalanceDto;
  subscription: SubscriptionStatusDto;
}

/**
 * The export document (docs/export-and-deletion.md): every user-owned record in the API's own
 * representations (docs/api.md §2), plus the internal payment records in plain form. Secrets are left
 * out: the calendar feed token (only its hash exists) and push subscription keys.
 */
export function buildExportDocument(
  exportId: string,
  exportedAt: Date,
  data: PersonalData,
  derived: DerivedData,
): Record<string, unknown> {
  const subtasksByTask = groupBy(data.subtasks, (subtask) => subtask.taskId);
  const remindersByTask = groupBy(data.reminders, (reminder) => reminder.taskId);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    export_id: exportId,
    exported_at: exportedAt.toISOString(),
    user: toUserResponse(data.user),
    tasks: data.tasks.map((task) => {
      const subtasks = subtasksByTask.get(task.id) ?? [];
      return toTaskDetailResponse({
        task,
        subtaskCount: subtasks.length,
        subtaskCompletedCount: subtasks.filter((subtask) => subtask.completed).length,
        subtasks,
        reminders: remindersByTask.get(task.id) ?? [],
      });
    }),
    templates: data.templates.map(toTemplateResponse),
    notes: data.notes.map(toNoteResponse),
    focus_sessions: data.focusSessions.map(toFocusSessionResponse),
    deleted_tasks: data.tombstones.map(toTombstoneResponse),
    achievements: derived.achievements,
    credits: { balance: derived.creditBalance, ledger: data.ledger.map(toCreditLedgerEntry) },
    subscription: {
      ...derived.subscription,
      payments: data.subscriptionPayments.map((payment) => ({
        payment_id: payment.paymentId,
        outcome: payment.outcome,
        period_start: payment.periodStart?.toISOString() ?? null,
        period_end: payment.periodEnd?.toISOString() ?? null,
        created_at: payment.createdAt.toISOString(),
      })),
    },
    payment_sessions: data.paymentSessions.map((session) => ({
      id: session.id,
      purpose: session.purpose,
      credits: session.credits,
      amount_cents: session.amountCents,
      currency: session.currency,
      status: session.status,
      created_at: session.createdAt.toISOString(),
      completed_at: session.completedAt?.toISOString() ?? null,
    })),
    notifications: data.notifications.map(toNotificationResponse),
    push_subscriptions: data.pushSubscriptions.map((subscription) => ({
      id: subscription.id,
      endpoint: subscription.endpoint,
      user_agent: subscription.userAgent,
      last_used_at: subscription.lastUsedAt?.toISOString() ?? null,
      created_at: subscription.createdAt.toISOString(),
    })),
    voice_sessions: data.voiceSessions.map(toVoiceSessionResponse),
    activity: data.activity.map(toActivityEntryResponse),
    calendar_feed: data.calendarFeed
      ? { id: data.calendarFeed.id, created_at: data.calendarFeed.createdAt.toISOString() }
      : null,
  };
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}
