import type { IncomingMessage } from 'node:http';
import { Logger } from '@nestjs/common';
import type { RawData, WebSocket } from 'ws';
import type { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import type { AppConfig } from '@app/core/config/app-config';
import type { VoiceSessionEntity } from '@app/core/database/entities';
import { DomainError } from '@app/core/errors/domain-error';
import type { UnitOfWork } from '@app/core/events/unit-of-work';
import type { AuthUser } from '@app/core/http/auth-user';
import type { RateLimitGuard } from '@app/core/http/rate-limit.guard';
import type { CreditLedgerService, CreditReservation } from '@app/credits/credit-ledger.service';
import type { DeepgramGateway, LiveResult, LiveTranscription } from './deepgram.client';
import {
  chargedMinutes,
  endOutcome,
  joinTranscript,
  LANGUAGE_PATTERN,
  MAX_AUDIO_FRAME_BYTES,
  MAX_BUFFERED_AUDIO_BYTES,
  startedMinutes,
  VoiceEnd,
} from './voice-rules';
import type { VoiceSessionsService } from './voice-sessions.service';
import type { WsAccessTokenVerifier } from './ws-access-token.verifier';
import type { VoiceTiming } from './voice-timing';

export interface VoiceRelayDeps {
  verifier: WsAccessTokenVerifier;
  rateLimit: RateLimitGuard;
  deepgram: DeepgramGateway;
  limits: EffectiveLimitsService;
  sessions: VoiceSessionsService;
  credits: CreditLedgerService;
  uow: UnitOfWork;
  config: AppConfig;
  timing: VoiceTiming;
}

type Phase = 'awaiting_auth' | 'checking' | 'streaming' | 'finishing' | 'closed';

/** A protocol failure before the session: `error` message then close (docs/realtime.md §1.5). */
class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly closeCode: number,
  ) {
    super(message);
  }
}

const OPEN = 1;

/**
 * One voice-transcription connection (docs/realtime.md §1): authentication by query token or first
 * message, the six checks, audio relay to the live provider and transcripts back, the 300 s cap,
 * per-minute credit reservations, and the session record written however the session ends.
 */
export class VoiceConnection {
  private readonly logger = new Logger(VoiceConnection.name);
  private phase: Phase = 'awaiting_auth';
  private user: AuthUser | null = null;
  private session: VoiceSessionEntity | null = null;
  private live: LiveTranscription | null = null;
  private readonly language: string | null;
  private readonly queryToken: string | null;
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private endRequested = false;
  private audioStartedAt: number | null = null;
  private lastAudioAt = 0;
  private lastForwardAt = 0;
  private readonly finals: string[] = [];
  private readonly reservations: Array<Promise<CreditReservation | null>> = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private errorCode: string | null = null;

  /**
   * `authenticated` gives back the socket's place among the unauthenticated sockets of its client
   * IP once the token is verified; null = no place left, the connection is refused at once.
   */
  constructor(
    private readonly deps: VoiceRelayDeps,
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
        new Refusal('RATE_LIMIT_EXCEEDED', 'Too many unauthenticated connections from this client address', 4429),
      );
      return;
    }
    if (this.language === null) {
      this.refuse(new Refusal('INVALID_MESSAGE', 'language must be 2–16 letters, digits or dashes', 4400));
      return;
    }
    if (this.queryToken !== null) {
      void this.authenticate(this.queryToken);
      return;
    }
    this.timers.push(
      setTimeout(() => {
        if (this.phase === 'awaiting_auth')
          this.refuse(new Refusal('UNAUTHORIZED', 'No auth message within 10 s', 4401));
      }, this.deps.timing.authTimeoutMs),
    );
  }

  private async onMessage(data: Buffer, isBinary: boolean): Promise<void> {
    if (this.phase === 'closed') return;
    if (this.phase === 'awaiting_auth') {
      const message = isBinary ? null : parseMessage(data);
      if (message?.type === 'auth' && typeof message.token === 'string') await this.authenticate(message.token);
      else this.refuse(new Refusal('UNAUTHORIZED', 'The first message must be {"type":"auth","token":…}', 4401));
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
    if (this.audioStartedAt === null) this.startAudioClock(now);
    this.lastAudioAt = this.deps.timing.now();
    this.lastForwardAt = this.lastAudioAt;
    this.armIdleTimer();
    this.live?.send(frame);
  }

  private async authenticate(token: string): Promise<void> {
    this.phase = 'checking';
    try {
      this.user = await this.deps.verifier.verify(token).catch((error: unknown) => {
        const code = error instanceof DomainError && error.code === 'TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHORIZED';
        throw new Refusal(code, code === 'TOKEN_EXPIRED' ? 'Access token expired' : 'Invalid access token', 4401);
      });
      this.authenticated?.();
      const creditsRemaining = await this.runChecks(this.user);
      if (this.isGone()) return this.abandon();
      const session = await this.deps.sessions.start(this.user.id, this.language as string, new Date());
      if (!session) throw new Refusal('SESSION_ALREADY_ACTIVE', 'Another voice session is active', 4409);
      this.session = session;
      this.phase = 'streaming';
      if (this.isGone()) return this.finish('disconnect');
      this.lastForwardAt = this.deps.timing.now();
      this.send({
        type: 'connected',
        session_id: session.id,
        max_duration_seconds: Math.round(this.deps.timing.maxDurationMs / 1000),
        credits_per_minute: this.deps.config.AI_CREDIT_TRANSCRIPTION_PER_MIN,
        credits_remaining: creditsRemaining,
      });
      this.timers.push(setInterval(() => this.keepAlive(), 1000));
      this.armIdleTimer();
      const buffered = this.buffered;
      this.buffered = [];
      const connectedAt = this.deps.timing.now();
      for (const frame of buffered) this.relay(frame, connectedAt);
      if (this.endRequested) await this.finish('end_stream');
    } catch (error) {
      if (error instanceof Refusal) this.refuse(error);
      else {
        this.logger.error({ err: error }, 'voice session setup failed');
        this.refuse(new Refusal('TRANSCRIPTION_FAILED', 'Could not start the transcription', 1011));
      }
    }
  }

  /** Checks 1–6 of docs/realtime.md §1.1; returns the balance for `connected`. */
  private async runChecks(user: AuthUser): Promise<number> {
    const { deps } = this;
    if (!(await deps.rateLimit.hit('ai', user.id)).allowed)
      throw new Refusal('RATE_LIMIT_EXCEEDED', 'Rate limit exceeded', 4429);
    if (!deps.deepgram.configured) {
      throw new Refusal('TRANSCRIPTION_SERVICE_UNAVAILABLE', 'Voice transcription is unavailable', 1013);
    }
    if (!(await deps.limits.forUser(user.id)).voiceAllowed)
      throw new Refusal('TIER_REQUIRED', 'Voice transcription requires Pro', 4403);
    if (await deps.sessions.hasActiveSession(user.id, new Date())) {
      throw new Refusal('SESSION_ALREADY_ACTIVE', 'Another voice session is active', 4409);
    }
    const balance = (await deps.credits.readBalance(user.id)).total;
    if (balance < deps.config.AI_CREDIT_TRANSCRIPTION_PER_MIN) {
      throw new Refusal('INSUFFICIENT_CREDITS', 'Not enough AI credits to start', 4402);
    }
    this.live = await deps.deepgram
      .openLive(this.language as string, {
        onResult: (result) => this.onResult(result),
        onFailure: (error) => void this.onProviderFailure(error),
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'live transcription connection failed');
        throw new Refusal('TRANSCRIPTION_FAILED', 'The transcription provider is unavailable', 1011);
      });
    return balance;
  }

  private startAudioClock(now: number): void {
    const { timing } = this.deps;
    this.audioStartedAt = now;
    this.reserveMinute();
    const minutes = Math.ceil(timing.maxDurationMs / timing.minuteMs);
    for (let minute = 1; minute < minutes; minute++) {
      this.timers.push(setTimeout(() => this.reserveMinute(), now + minute * timing.minuteMs + 1 - timing.now()));
    }
    this.timers.push(
      setTimeout(
        () =>
          this.send({
            type: 'warning',
            code: 'MAX_DURATION_APPROACHING',
            seconds_remaining: Math.round(timing.warningBeforeEndMs / 1000),
          }),
        now + timing.maxDurationMs - timing.warningBeforeEndMs - timing.now(),
      ),
      setTimeout(() => void this.finish('max_duration'), now + timing.maxDurationMs - timing.now()),
    );
  }

  /** Reserves the next started minute; a failed reservation stops the session (credit stop). */
  private reserveMinute(): void {
    if (this.phase !== 'streaming' || !this.user || !this.session) return;
    const reservation = this.deps.credits
      .reserve({
        userId: this.user.id,
        amount: this.deps.config.AI_CREDIT_TRANSCRIPTION_PER_MIN,
        operationRef: `voice:${this.session.id}`,
        description: 'Voice transcription (per started minute)',
      })
      .catch((error: unknown) => {
        if (!(error instanceof DomainError && error.code === 'INSUFFICIENT_CREDITS'))
          this.logger.error({ err: error }, 'voice reservation failed');
        void this.finish('insufficient_credits');
        return null;
      });
    this.reservations.push(reservation);
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
      this.refuse(new Refusal(code, message, 4400));
    }
  }

  /** Ends a session that reached `connected`: finalize, settle the credits, store, tell the client. */
  private async finish(end: VoiceEnd): Promise<void> {
    if (this.phase !== 'streaming' || !this.session || !this.user) return;
    this.phase = 'finishing';
    this.clearTimers();
    const stoppedAt = this.deps.timing.now();
    const outcome = endOutcome(end);
    const messages: Record<VoiceEnd, [string, string] | null> = {
      max_duration: ['MAX_DURATION_EXCEEDED', 'Maximum session duration reached'],
      insufficient_credits: ['INSUFFICIENT_CREDITS', 'Not enough AI credits to continue'],
      provider_error: ['TRANSCRIPTION_FAILED', 'The transcription provider failed'],
      end_stream: null,
      idle: null,
      disconnect: null,
      protocol: null,
    };
    const error = messages[end];
    if (error) {
      this.errorCode = error[0];
      this.send({ type: 'error', code: error[0], message: error[1] });
    }
    if (end === 'provider_error') this.live?.close();
    else await this.live?.finish(this.deps.timing.finalizeWaitMs);

    const audioEnd = end === 'idle' ? this.lastAudioAt : stoppedAt;
    const audioMs =
      this.audioStartedAt === null
        ? null
        : Math.max(0, Math.min(audioEnd - this.audioStartedAt, this.deps.timing.maxDurationMs));
    const durationSeconds = Math.floor((audioMs ?? 0) / 1000);
    const reservations = (await Promise.all(this.reservations)).filter((r): r is CreditReservation => r !== null);
    const minutes = chargedMinutes(end, reservations.length, startedMinutes(audioMs, this.deps.timing.minuteMs));
    const charged = reservations.slice(0, minutes);
    for (const surplus of reservations.slice(minutes)) await this.deps.credits.release(surplus);
    const transcript = joinTranscript(this.finals);
    const session = this.session;
    const user = this.user;
    const creditsRemaining = await this.deps.uow.run(async (tx) => {
      let creditsUsed = 0;
      for (const reservation of charged) creditsUsed += await this.deps.credits.commit(tx, reservation);
      await this.deps.sessions.close(tx, session, {
        end,
        endedAt: new Date(),
        durationSeconds,
        creditsUsed,
        transcript,
        errorCode: this.errorCode,
      });
      const balance = await this.deps.credits.balance(user.id, tx.manager);
      return { creditsUsed, remaining: balance.total };
    });
    if (outcome.completeStatus) {
      this.send({
        type: 'complete',
        session_id: session.id,
        status: outcome.completeStatus,
        full_transcript: transcript,
        duration_seconds: durationSeconds,
        credits_used: creditsRemaining.creditsUsed,
        credits_remaining: creditsRemaining.remaining,
      });
    }
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

  private refuse(refusal: Refusal): void {
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
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function parseMessage(data: Buffer): { type?: unknown; token?: unknown } | null {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { type?: unknown }) : null;
  } catch {
    return null;
  }
}
