import { Injectable, Logger } from '@nestjs/common';
import { DeepgramClient, DeepgramEnvironment } from '@deepgram/sdk';
import { AppConfig } from '@app/core/config/app-config';
import { TranscriptionUnavailableError } from './voice.errors';

const MODEL = 'nova-2';
const PRERECORDED_TIMEOUT_MS = 60_000;
const PRERECORDED_ATTEMPTS = 3;
const LIVE_CONNECT_TIMEOUT_SECONDS = 10;

export interface PrerecordedTranscript {
  transcript: string;
  confidence: number;
  language: string;
  /** Seconds, as reported by the provider; null when absent (no duration check then). */
  duration: number | null;
}

export interface LiveResult {
  text: string;
  isFinal: boolean;
  confidence: number;
}

export interface LiveHandlers {
  onResult(result: LiveResult): void;
  /** Unexpected close, error frame or network error (never reconnected). */
  onFailure(error: Error): void;
}

/** An open live transcription stream (docs/integrations.md §3.2). */
export interface LiveTranscription {
  send(audio: Buffer): void;
  keepAlive(): void;
  /** `CloseStream`, then waits up to `waitMs` for the remaining results and the close. */
  finish(waitMs: number): Promise<void>;
  close(): void;
}

type PrerecordedBody = {
  metadata?: { duration?: unknown };
  results?: {
    channels?: Array<{
      detected_language?: unknown;
      alternatives?: Array<{ transcript?: unknown; confidence?: unknown }>;
    }>;
  };
};

function isRetryable(error: unknown): boolean {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status !== 'number' || status >= 500;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Deepgram through @deepgram/sdk v5 (docs/integrations.md §3): pre-recorded `POST {DEEPGRAM_URL}/v1/listen`
 * and the live socket on the ws(s) form of the same base, both with `Authorization: Token <key>`.
 */
@Injectable()
export class DeepgramGateway {
  private readonly logger = new Logger(DeepgramGateway.name);
  private readonly client: DeepgramClient | null;

  constructor(config: AppConfig) {
    const base = config.DEEPGRAM_URL.replace(/\/+$/, '');
    this.client =
      config.ENABLE_VOICE_TRANSCRIPTION && config.DEEPGRAM_API_KEY
        ? new DeepgramClient({
            apiKey: config.DEEPGRAM_API_KEY,
            environment: { ...DeepgramEnvironment.Production, base, production: base.replace(/^http/, 'ws') },
            // A failing live socket ends the session; it is never reconnected silently.
            reconnect: false,
          })
        : null;
  }

  get configured(): boolean {
    return this.client !== null;
  }

  assertConfigured(): void {
    if (!this.client) throw new TranscriptionUnavailableError('Voice transcription is disabled or not configured');
  }

  /** Up to 3 attempts on 5xx or connection errors (1 s, 2 s apart), 60 s overall. */
  async transcribeUrl(url: string, language: string): Promise<PrerecordedTranscript> {
    this.assertConfigured();
    const client = this.client as DeepgramClient;
    const deadline = Date.now() + PRERECORDED_TIMEOUT_MS;
    const signal = AbortSignal.timeout(PRERECORDED_TIMEOUT_MS);
    for (let attempt = 1; ; attempt++) {
      try {
        const body = (await client.listen.v1.media.transcribeUrl(
          { url, model: MODEL, smart_format: true, punctuate: true, language },
          { maxRetries: 0, abortSignal: signal, timeoutInSeconds: Math.max(1, (deadline - Date.now()) / 1000) },
        )) as unknown as PrerecordedBody;
        return this.readPrerecorded(body, language);
      } catch (error) {
        if (error instanceof TranscriptionUnavailableError) throw error;
        const retry = attempt < PRERECORDED_ATTEMPTS && isRetryable(error) && !signal.aborted;
        if (!retry) {
          this.logger.warn({ err: error }, 'pre-recorded transcription failed');
          throw new TranscriptionUnavailableError();
        }
        await wait(1000 * attempt);
      }
    }
  }

  async openLive(language: string, handlers: LiveHandlers): Promise<LiveTranscription> {
    this.assertConfigured();
    const client = this.client as DeepgramClient;
    const socket = await client.listen.v1.connect({
      model: MODEL,
      language,
      punctuate: 'true',
      smart_format: 'true',
      interim_results: 'true',
      reconnectAttempts: 0,
      connectionTimeoutInSeconds: LIVE_CONNECT_TIMEOUT_SECONDS,
    });
    let finishing = false;
    let closed: () => void = () => undefined;
    const closedPromise = new Promise<void>((resolve) => (closed = resolve));
    socket.on('message', (message) => {
      if (message.type !== 'Results') return;
      const alternative = message.channel?.alternatives?.[0];
      handlers.onResult({
        text: typeof alternative?.transcript === 'string' ? alternative.transcript : '',
        isFinal: message.is_final === true,
        confidence: typeof alternative?.confidence === 'number' ? alternative.confidence : 0,
      });
    });
    socket.on('close', (event) => {
      closed();
      if (!finishing) handlers.onFailure(new Error(`provider closed the live socket (${event.code})`));
    });
    socket.on('error', (error) => {
      if (!finishing) handlers.onFailure(error);
    });
    socket.connect();
    try {
      await socket.waitForOpen();
    } catch (error) {
      finishing = true;
      socket.close();
      throw error;
    }
    const safely = (send: () => void): void => {
      try {
        send();
      } catch (error) {
        if (!finishing) handlers.onFailure(error as Error);
      }
    };
    return {
      send: (audio) => safely(() => socket.sendMedia(audio)),
      keepAlive: () => safely(() => socket.sendKeepAlive({ type: 'KeepAlive' })),
      finish: async (waitMs) => {
        finishing = true;
        try {
          socket.sendCloseStream({ type: 'CloseStream' });
        } catch {
          return;
        }
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closedPromise, new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
        clearTimeout(timer);
        socket.close();
      },
      close: () => {
        finishing = true;
        socket.close();
      },
    };
  }

  private readPrerecorded(body: PrerecordedBody, language: string): PrerecordedTranscript {
    if (!body || typeof body !== 'object' || !body.results || typeof body.results !== 'object') {
      throw new TranscriptionUnavailableError('The transcription service returned an unreadable answer');
    }
    const channel = body.results.channels?.[0];
    const alternative = channel?.alternatives?.[0];
    const duration = body.metadata?.duration;
    return {
      transcript: typeof alternative?.transcript === 'string' ? alternative.transcript : '',
      confidence: typeof alternative?.confidence === 'number' ? alternative.confidence : 0,
      language: typeof channel?.detected_language === 'string' ? channel.detected_language : language,
      duration: typeof duration === 'number' && Number.isFinite(duration) ? duration : null,
    };
  }
}
