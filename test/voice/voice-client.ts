import { WebSocket } from 'ws';
import type { VoiceTiming } from '@app/voice/voice-timing';
import type { TestApp } from '../support/test-app';

export interface VoiceClient {
  ws: WebSocket;
  messages: Array<Record<string, unknown>>;
  /** Resolves with the first message of this type (already received or future). */
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A `ws` client of the voice gateway that records every server message (`headers` on the upgrade). */
export function connectVoice(
  t: TestApp,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<VoiceClient> {
  const url = new URL('/api/v1/ws/voice/transcribe', t.baseUrl.replace(/^http/, 'ws'));
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const ws = new WebSocket(url, { headers });
  const messages: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as Record<string, unknown>);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, reason: reason.toString() });
    }),
  );
  const next = (type: string, timeoutMs = 5000): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${type} message; got ${JSON.stringify(messages)}`)),
        timeoutMs,
      );
      const check = (): void => {
        const found = messages.find((m) => m.type === type);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else if (ws.readyState === WebSocket.CLOSED) {
          clearTimeout(timer);
          reject(new Error(`closed without ${type}; got ${JSON.stringify(messages)}`));
        } else waiters.push(check);
      };
      check();
    });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, next, closed }));
    ws.once('error', reject);
  });
}

/** Replaces the gateway's audio clock with one that moves only when the test advances it. */
export function manualClock(timing: VoiceTiming): { advance(ms: number): void } {
  let now = Date.now();
  timing.now = () => now;
  return {
    advance: (ms) => {
      now += ms;
    },
  };
}
