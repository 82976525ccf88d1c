import { Injectable } from '@nestjs/common';

/** The clock rules of docs/realtime.md §1 in one place (tests may shorten them; production uses these). */
@Injectable()
export class VoiceTiming {
  authTimeoutMs = 10_000;
  idleTimeoutMs = 30_000;
  maxDurationMs = 300_000;
  warningBeforeEndMs = 30_000;
  /** Billing unit: credits are reserved and charged per started minute of audio. */
  minuteMs = 60_000;
  keepAliveAfterMs = 5_000;
  finalizeWaitMs = 5_000;
  /** The server wall clock audio time is measured on (docs/realtime.md §1.4); tests substitute one they advance. */
  now: () => number = Date.now;
}
