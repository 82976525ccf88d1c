import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import type { RawData, WebSocket } from 'ws';
import type { AccessTokenVerifier } from '@app/auth/access-token.verifier';
import type { AppConfig } from '@app/core/config/app-config';
import { DomainError } from '@app/core/errors/domain-error';
import type { LiveResult, LiveTranscription } from './deepgram.client';
import type { VoiceChecks } from './voice-checks';
import { completeMessage, connectedMessage, parseMessage, toBuffer, warningMessage } from './voice-messages';
import {
  endError,
  endOutcome,
  LANGUAGE_PATTERN,
  MAX_AUDIO_FRAME_BYTES,
  MAX_BUFFERED_AUDIO_BYTES,
  VoiceEnd,
  VoiceRefusal,
} from './voice-rules';
import type { SessionSettlement, VoiceSettlement } from './voice-settlement';
import type { VoiceTiming } from './voice-timing';

export interface VoiceConnectionDeps {
  verifier: AccessTokenVerifier;
  checks: VoiceChecks;
  settlement: VoiceSettlement;
  config: AppConfig;
  timing: VoiceTiming;
}

type Phase = 'awaiting_auth' | 'checking' | 'streaming' | 'finishing' | 'closed';

const OPEN = 1;

/**
 * The protocol of one voice-transcription connection (docs/realtime.md §1): authentication by
 * query token or first message, then the checks (voice-checks.ts), audio relayed to the live
 * provider and transcripts back, the 300 s cap and the idle timeout; the session's credits and
 * record are its settlement's (voice-settlement.ts).
 */
export class VoiceConnection {
  private readonly logger = new Logger(VoiceConnection.name);
  private phase: Phase = 'awaiting_auth';
  private settlement: SessionSettlement | null = null;
  private live: LiveTranscription | null = null;
  private readonly language: string | null;
  private readonly queryToken: string | null;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private endRequested = false;
  private lastForwardAt = 0;
  private readonly finals: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private errorCode: string | null = null;

  /**
   * `authenticated` gives back the socket's place among the unauthenticated sockets of its client
   * IP once the token is verified; null = no place left, the connection is refused at once.
   */
  constructor(
    private readonly deps: VoiceConnectionDeps,
    private readonly socket: WebSocket,
    request: IncomingMessage,
    private readonly authenticated: (() => void) | null,
  ) {
    const query = new URL(request.url ?? '/', 'ws://localhost').searchParams;
    this.queryToken = query.get('token');
    const language = query.get('language') ?? 'en';
    this.language = LANGUAGE_PATTERN.test(language) ? language : null;
  }

  start(): void {
    this.socket.on('message', (data: RawData, isBinary: boolean) => void this.onMessage(toBuffer(data), isBinary));
    this.socket.on('close', () => void this.onClientClosed());
    this.socket.on('error', () => undefined);
    if (this.authenticated === null) {
      this.refuse(
        new VoiceRefusal('RATE_LIMIT_EXCEEDED', 'Too many unauthenticated connections from this client address', 4429),
      );
      return;
    }
    if (this.language === null) {
      this.refuse(new VoiceRefusal('INVALID_MESSAGE', 'language must be 2–16 letters, digits or dashes', 4400));
      return;
    }
    if (this.queryToken !== null) {
      void this.authenticate(this.queryToken);
      return;
    }
    this.timers.push(
      setTimeout(() => {
        if (this.phase === 'awaiting_auth')
          this.refuse(new VoiceRefusal('UNAUTHORIZED', 'No auth message within 10 s', 4401));
      }, this.deps.timing.authTimeoutMs),
    );
  }

  private async onMessage(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.phase === 'closed') return;
    if (this.phase === 'awaiting_auth') {
      const message = isBinary ? null : parseMessage(data);
      if (message?.type === 'auth' && typeof message.token === 'string') await this.authenticate(message.token);
      else this.refuse(new VoiceRefusal('UNAUTHORIZED', 'The first message must be {"type":"auth","token":…}', 4401));
      return;
    }
    if (isBinary) {
      this.onAudio(data);
      return;
    }
    const message = parseMessage(data);
    switch (message?.type) {
      case 'ping':
        this.send({ type: 'pong' });
        return;
      case 'end_stream':
        if (this.phase === 'streaming') await this.finish('end_stream');
        else this.endRequested = true;
        return;
      default:
        await this.protocolViolation('INVALID_MESSAGE', 'Unknown or malformed message');
    }
  }

  private onAudio(frame: Buffer): void {
    if (frame.length > MAX_AUDIO_FRAME_BYTES) {
      void this.protocolViolation('FRAME_TOO_LARGE', 'Audio frames are limited to 32 KiB');
      return;
    }
    if (this.endRequested || this.phase === 'finishing') return;
    if (this.phase === 'checking') {
      this.bufferedBytes += frame.length;
      if (this.bufferedBytes > MAX_BUFFERED_AUDIO_BYTES) {
        void this.protocolViolation('FRAME_TOO_LARGE', 'More than 1 MiB of audio before the session started');
        return;
      }
      this.buffered.push(frame);
      return;
    }
    this.relay(frame, this.deps.timing.now());
  }

  private relay(frame: Buffer, now: number): void {
    if (this.settlement?.recordAudio(now)) this.scheduleEnd(now);
    this.lastForwardAt = this.deps.timing.now();
    this.armIdleTimer();
    this.live?.send(frame);
  }

  private async authenticate(token: string): Promise<void> {
    this.phase = 'checking';
    try {
      const user = await this.deps.verifier.verify(token).catch((error: unknown) => {
        const code = error instanceof DomainError && error.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED';
        throw new VoiceRefusal(code, code === 'TOKEN_EXPIRED' ? 'Access token expired' : 'Invalid access token', 4401);
      });
      this.authenticated?.();
      const language = this.language as string;
      const { balance, live } = await this.deps.checks.run(user, language, {
        onResult: (result) => this.onResult(result),
        onFailure: (error) => void this.onProviderFailure(error),
      });
      this.live = live;
      if (this.isGone()) return this.abandon();
      const creditStop = () => void this.finish('insufficient_credits');
      const settlement = await this.deps.settlement.open(user.id, language, creditStop);
      if (!settlement) throw new VoiceRefusal('SESSION_ALREADY_ACTIVE', 'Another voice session is active', 4409);
      this.settlement = settlement;
      this.phase = 'streaming';
      if (this.isGone()) return this.finish('disconnect');
      this.lastForwardAt = this.deps.timing.now();
      this.send(connectedMessage(settlement.session.id, balance, this.deps));
      this.timers.push(setInterval(() => this.keepAlive(), 1000));
      this.armIdleTimer();
      const buffered = this.buffered;
      this.buffered = [];
      const connectedAt = this.deps.timing.now();
      for (const frame of buffered) this.relay(frame, connectedAt);
      if (this.endRequested) await this.finish('end_stream');
    } catch (error) {
      if (error instanceof VoiceRefusal) this.refuse(error);
      else {
        this.logger.error({ err: error }, 'voice session setup failed');
        this.refuse(new VoiceRefusal('TRANSCRIPTION_FAILED', 'Could not start the transcription', 1011));
      }
    }
  }

  /** From the first audio on: the warning before the 300 s cap, then the cap itself. */
  private scheduleEnd(audioStartedAt: number): void {
    const { timing } = this.deps;
    this.timers.push(
      setTimeout(
        () => this.send(warningMessage(timing)),
        audioStartedAt + timing.maxDurationMs - timing.warningBeforeEndMs - timing.now(),
      ),
      setTimeout(() => void this.finish('max_duration'), audioStartedAt + timing.maxDurationMs - timing.now()),
    );
  }

  private onResult(result: LiveResult): void {
    if (this.phase !== 'streaming' && this.phase !== 'finishing') return;
    if (result.isFinal) this.finals.push(result.text);
    if (result.text.trim() === '') return;
    this.send({ type: 'transcript', text: result.text, is_final: result.isFinal, confidence: result.confidence });
  }

  private async onProviderFailure(error: Error): Promise<void> {
    this.logger.warn({ err: error }, 'live transcription failed mid-session');
    if (this.phase === 'streaming') await this.finish('provider_error');
  }

  private keepAlive(): void {
    if (this.phase !== 'streaming' || this.deps.timing.now() - this.lastForwardAt < this.deps.timing.keepAliveAfterMs)
      return;
    this.lastForwardAt = this.deps.timing.now();
    this.live?.keepAlive();
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.finish('idle'), this.deps.timing.idleTimeoutMs);
  }

  private async protocolViolation(code: string, message: string): Promise<void> {
    if (this.phase === 'streaming') {
      this.errorCode = code;
      this.send({ type: 'error', code, message });
      await this.finish('protocol');
    } else if (this.phase === 'checking' || this.phase === 'awaiting_auth') {
      this.refuse(new VoiceRefusal(code, message, 4400));
    }
  }

  /** Ends a session that reached `connected`: finalize, settle, tell the client. */
  private async finish(end: VoiceEnd): Promise<void> {
    if (this.phase !== 'streaming' || !this.settlement) return;
    this.phase = 'finishing';
    this.clearTimers();
    const stoppedAt = this.deps.timing.now();
    const outcome = endOutcome(end);
    const error = endError(end);
    if (error) {
      this.errorCode = error.code;
      this.send({ type: 'error', ...error });
    }
    if (end === 'provider_error') this.live?.close();
    else await this.live?.finish(this.deps.timing.finalizeWaitMs);

    const settled = await this.settlement.settle(end, stoppedAt, this.finals, this.errorCode);
    if (outcome.completeStatus) this.send(completeMessage(this.settlement.session.id, outcome.completeStatus, settled));
    this.phase = 'closed';
    this.closeSocket(outcome.closeCode);
  }

  private async onClientClosed(): Promise<void> {
    if (this.phase === 'streaming') await this.finish('disconnect');
    else if (this.phase !== 'finishing' && this.phase !== 'checking') this.abandon();
  }

  private isGone(): boolean {
    return this.socket.readyState !== OPEN;
  }

  /** Before `connected`: nothing to store; drop the provider connection and timers. */
  private abandon(): void {
    this.phase = 'closed';
    this.clearTimers();
    this.live?.close();
  }

  private refuse(refusal: VoiceRefusal): void {
    this.send({ type: 'error', code: refusal.code, message: refusal.message });
    this.abandon();
    this.closeSocket(refusal.closeCode);
  }

  private send(message: object): void {
    if (this.socket.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private closeSocket(code: number): void {
    if (this.socket.readyState === OPEN) this.socket.close(code);
  }

  private clearTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    clearTimeout(this.idleTimer);
    this.settlement?.stop();
  }
}
