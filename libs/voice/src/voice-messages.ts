import type { RawData } from 'ws';
import type { AppConfig } from '@app/core/config/app-config';
import type { VoiceEndOutcome } from './voice-rules';
import type { SettledSession } from './voice-settlement';
import type { VoiceTiming } from './voice-timing';

/** A parsed client text frame (docs/realtime.md §1.2); null when it is not a JSON object. */
export interface ClientMessage {
  type?: unknown;
  token?: unknown;
}

/** A client frame's bytes, however `ws` delivered them. */
export function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export function parseMessage(data: Buffer): ClientMessage | null {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as ClientMessage) : null;
  } catch {
    return null;
  }
}

/** `connected` (docs/realtime.md §1.3): the session started; `creditsRemaining` is the balance checked before. */
export function connectedMessage(
  sessionId: string,
  creditsRemaining: number,
  { timing, config }: { timing: VoiceTiming; config: AppConfig },
) {
  return {
    type: 'connected',
    session_id: sessionId,
    max_duration_seconds: Math.round(timing.maxDurationMs / 1000),
    credits_per_minute: config.AI_CREDIT_TRANSCRIPTION_PER_MIN,
    credits_remaining: creditsRemaining,
  };
}

/** `warning` (docs/realtime.md §1.3), sent once before the duration cap. */
export function warningMessage(timing: VoiceTiming) {
  return {
    type: 'warning',
    code: 'MAX_DURATION_APPROACHING',
    seconds_remaining: Math.round(timing.warningBeforeEndMs / 1000),
  };
}

/** `complete` (docs/realtime.md §1.3): the settled session. */
export function completeMessage(
  sessionId: string,
  status: NonNullable<VoiceEndOutcome['completeStatus']>,
  settled: SettledSession,
) {
  return {
    type: 'complete',
    session_id: sessionId,
    status,
    full_transcript: settled.transcript,
    duration_seconds: settled.durationSeconds,
    credits_used: settled.creditsUsed,
    credits_remaining: settled.creditsRemaining,
  };
}
