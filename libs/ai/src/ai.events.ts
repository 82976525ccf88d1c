import { defineEvent } from '@app/core/events/domain-event';

export interface AiChatPayload {
  task_id: string | null;
  credits_used: number;
  streamed: boolean;
  reservation_id: string;
}

export interface AiSubtasksGeneratedPayload {
  task_id: string;
  count: number;
  credits_used: number;
}

export interface AiNoteConversionPayload {
  note_id: string;
  credits_used: number;
}

export interface AiActionConfirmedPayload {
  action_type: string;
  /** The main object changed (task or created subtasks' task). */
  entity_id: string;
  task_id: string | null;
  note_id: string | null;
  subtask_ids: string[];
}

export const AiChat = defineEvent<AiChatPayload>('ai.chat', (payload) => ({
  entityType: 'ai_chat',
  entityId: payload.task_id ?? payload.reservation_id,
  action: 'ai_chat',
  metadata: { task_id: payload.task_id, credits_used: payload.credits_used, streamed: payload.streamed },
}));

export const AiSubtasksGenerated = defineEvent<AiSubtasksGeneratedPayload>('ai.subtasks_generated', (payload) => ({
  entityType: 'ai_chat',
  entityId: payload.task_id,
  action: 'ai_subtask_generation',
  metadata: { task_id: payload.task_id, count: payload.count, credits_used: payload.credits_used },
}));

export const AiNoteConversion = defineEvent<AiNoteConversionPayload>('ai.note_conversion', (payload) => ({
  entityType: 'ai_chat',
  entityId: payload.note_id,
  action: 'ai_note_conversion',
  metadata: { note_id: payload.note_id, credits_used: payload.credits_used },
}));

export const AiActionConfirmed = defineEvent<AiActionConfirmedPayload>('ai.action_confirmed', (payload) => ({
  entityType: 'ai_chat',
  entityId: payload.entity_id,
  action: 'ai_action_confirmed',
  metadata: {
    action_type: payload.action_type,
    task_id: payload.task_id,
    note_id: payload.note_id,
    subtask_ids: payload.subtask_ids,
  },
}));
