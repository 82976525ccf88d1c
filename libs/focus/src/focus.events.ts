import { defineEvent } from '@app/core/events/domain-event';

export interface FocusSessionEventPayload {
  session_id: string;
  task_id: string;
  /** Null when the session starts; the credited seconds when it ends. */
  duration_seconds: number | null;
}

export const FocusStarted = defineEvent<FocusSessionEventPayload>('focus.started', (payload) => ({
  entityType: 'focus_session',
  entityId: payload.session_id,
  action: 'focus_started',
  metadata: { task_id: payload.task_id },
}));

export const FocusEnded = defineEvent<FocusSessionEventPayload>('focus.ended', (payload) => ({
  entityType: 'focus_session',
  entityId: payload.session_id,
  action: 'focus_ended',
  metadata: { task_id: payload.task_id, duration_seconds: payload.duration_seconds },
}));
