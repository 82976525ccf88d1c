import { defineEvent } from '@app/core/events/domain-event';

export interface StaleVoiceSessionClosedPayload {
  session_id: string;
  duration_seconds: number;
  credits_used: number;
  outcome: 'aborted';
}

/**
 * The `ai.transcription` event (jobs.md §5) as emitted when `maintenance_cleanup` closes a voice
 * session its crashed gateway left `active`: activity `transcription_completed` on the voice
 * session with `status: aborted` (realtime.md §1.4).
 */
export const StaleVoiceSessionClosed = defineEvent<StaleVoiceSessionClosedPayload>('ai.transcription', (payload) => ({
  entityType: 'voice_session',
  entityId: payload.session_id,
  action: 'transcription_completed',
  metadata: {
    status: payload.outcome,
    end_reason: 'disconnect',
    duration_seconds: payload.duration_seconds,
    credits_used: payload.credits_used,
  },
}));
