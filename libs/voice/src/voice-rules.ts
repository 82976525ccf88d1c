import type { VoiceSessionEndReason, VoiceSessionStatus } from '@app/core/database/enums';

/** BCP-47-ish language code of docs/realtime.md §1.1 and docs/api.md §10.4: 2–16 letters, digits or `-`. */
export const LANGUAGE_PATTERN = /^[A-Za-z0-9-]{2,16}$/;
export const MAX_AUDIO_FRAME_BYTES = 32 * 1024;
/** Any client message, before or after authentication (the WebSocket layer's `maxPayload`). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
export const MAX_BUFFERED_AUDIO_BYTES = 1024 * 1024;

/** A failure before the session: an `error` message, then close with `closeCode` (docs/realtime.md §1.1, §1.5). */
export class VoiceRefusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
  }
}

/** How a live session ended (docs/realtime.md §1.4). `protocol` = the client broke the protocol mid-session. */
export type VoiceEnd =
  'end_stream' | 'idle' | 'max_duration' | 'insufficient_credits' | 'provider_error' | 'disconnect' | 'protocol';

export interface VoiceEndOutcome {
  /** `complete.status`; null when no `complete` is sent (the client is gone or broke the protocol). */
  completeStatus: 'completed' | 'max_duration' | 'insufficient_credits' | 'failed' | null;
  status: Exclude<VoiceSessionStatus, 'active'>;
  endReason: VoiceSessionEndReason;
  action: 'transcription_completed' | 'transcription_failed';
  /** WebSocket close code after the last message. */
  closeCode: number;
}

/** The table of docs/realtime.md §1.4: every end maps to one stored status, end reason and activity action. */
export function endOutcome(end: VoiceEnd): VoiceEndOutcome {
  switch (end) {
    case 'end_stream':
      return {
        completeStatus: 'completed',
        status: 'completed',
        endReason: 'end_stream',
        action: 'transcription_completed',
        closeCode: 1000,
      };
    case 'idle':
      return {
        completeStatus: 'completed',
        status: 'completed',
        endReason: 'idle',
        action: 'transcription_completed',
        closeCode: 1000,
      };
    case 'max_duration':
      return {
        completeStatus: 'max_duration',
        status: 'completed',
        endReason: 'max_duration',
        action: 'transcription_completed',
        closeCode: 1000,
      };
    case 'insufficient_credits':
      return {
        completeStatus: 'insufficient_credits',
        status: 'completed',
        endReason: 'insufficient_credits',
        action: 'transcription_completed',
        closeCode: 1000,
      };
    case 'provider_error':
      return {
        completeStatus: 'failed',
        status: 'failed',
        endReason: 'provider_error',
        action: 'transcription_failed',
        closeCode: 1011,
      };
    case 'disconnect':
      return {
        completeStatus: null,
        status: 'aborted',
        endReason: 'disconnect',
        action: 'transcription_completed',
        closeCode: 1000,
      };
    case 'protocol':
      return {
        completeStatus: null,
        status: 'aborted',
        endReason: 'disconnect',
        action: 'transcription_completed',
        closeCode: 4400,
      };
  }
}

/** The `error` message sent before `complete` when a session ends this way (docs/realtime.md §1.4); null: none. */
export function endError(end: VoiceEnd): { code: string; message: string } | null {
  switch (end) {
    case 'max_duration':
      return { code: 'MAX_DURATION_EXCEEDED', message: 'Maximum session duration reached' };
    case 'insufficient_credits':
      return { code: 'INSUFFICIENT_CREDITS', message: 'Not enough AI credits to continue' };
    case 'provider_error':
      return { code: 'TRANSCRIPTION_FAILED', message: 'The transcription provider failed' };
    case 'end_stream':
    case 'idle':
    case 'disconnect':
    case 'protocol':
      return null;
  }
}

/**
 * Started minutes over the exact audio time (docs/realtime.md §1.4): none without an audio frame, at
 * least one once audio flowed (a 0.4-s session costs a minute). `minuteMs` is 60 000 outside tests.
 */
export function startedMinutes(audioMs: number | null, minuteMs = 60_000): number {
  if (audioMs === null) return 0;
  return Math.max(1, Math.ceil(audioMs / minuteMs));
}

/**
 * Reserved minutes to commit at the end (docs/realtime.md §1.4): the started minutes of the audio, at
 * most what was reserved; a credit stop pays every minute already reserved; a provider failure
 * pays nothing.
 */
export function chargedMinutes(end: VoiceEnd, reserved: number, started: number): number {
  if (end === 'provider_error') return 0;
  if (end === 'insufficient_credits') return reserved;
  return Math.min(reserved, started);
}

/** Credits of docs/api.md §10.4 for an upload of `durationSeconds`: per-minute price × started minutes (1–60 s → 5, 61–120 s → 10). */
export function transcriptionCredits(durationSeconds: number, perMinute: number): number {
  return perMinute * Math.ceil(Math.max(0, durationSeconds) / 60);
}

/** `full_transcript`: the final segments in order, single spaces. */
export function joinTranscript(finals: readonly string[]): string {
  return finals
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '')
    .join(' ');
}
