import { defineEvent } from '@app/core/events/domain-event';
import type { VoiceSessionEndReason, VoiceSessionStatus } from '@app/core/database/enums';

/** `ai.transcription` (docs/jobs.md §5) from the WebSocket gateway or from `POST /ai/transcribe`. */
export type AiTranscriptionPayload =
  | {
      origin: 'websocket';
      session_id: string;
      status: Exclude<VoiceSessionStatus, 'active'>;
      end_reason: VoiceSessionEndReason;
      action: 'transcription_completed' | 'transcription_failed';
      duration_seconds: number;
      credits_used: number;
      outcome: string;
    }
  | {
      origin: 'http';
      note_id: string | null;
      reservation_id: string;
      duration_seconds: number;
      credits_used: number;
      outcome: string;
    };

/** WebSocket sessions → a `voice_session` entry (docs/realtime.md §1.4); `/ai/transcribe` → `ai_chat`/`ai_transcription`. */
export const AiTranscription = defineEvent<AiTranscriptionPayload>('ai.transcription', (payload) =>
  payload.origin === 'websocket'
    ? {
        entityType: 'voice_session',
        entityId: payload.session_id,
        action: payload.action,
        metadata: {
          status: payload.status,
          end_reason: payload.end_reason,
          duration_seconds: payload.duration_seconds,
          credits_used: payload.credits_used,
        },
      }
    : {
        entityType: 'ai_chat',
        entityId: payload.note_id ?? payload.reservation_id,
        action: 'ai_transcription',
        metadata: {
          note_id: payload.note_id,
          duration_seconds: payload.duration_seconds,
          credits_used: payload.credits_used,
        },
      },
);
