import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import type { VoiceSessionEntity } from '@app/core/database/entities';
import { DomainError } from '@app/core/errors/domain-error';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { CreditLedgerService } from '@app/credits/credit-ledger.service';
import { CreditReservation, CreditReservationsService } from '@app/credits/credit-reservations.service';
import { chargedMinutes, joinTranscript, startedMinutes, VoiceEnd } from './voice-rules';
import { VoiceSessionsService } from './voice-sessions.service';
import { VoiceTiming } from './voice-timing';

/** What `complete` reports of a settled session. */
export interface SettledSession {
  transcript: string;
  durationSeconds: number;
  creditsUsed: number;
  creditsRemaining: number;
}

interface SettlementDeps {
  sessions: VoiceSessionsService;
  credits: CreditLedgerService;
  creditReservations: CreditReservationsService;
  uow: UnitOfWork;
  config: AppConfig;
  timing: VoiceTiming;
  logger: Logger;
}

/** Opens the session record of a live voice connection and hands it its {@link SessionSettlement}. */
@Injectable()
export class VoiceSettlement {
  private readonly deps: SettlementDeps;

  constructor(
    sessions: VoiceSessionsService,
    credits: CreditLedgerService,
    creditReservations: CreditReservationsService,
    uow: UnitOfWork,
    config: AppConfig,
    timing: VoiceTiming,
  ) {
    this.deps = {
      sessions,
      credits,
      creditReservations,
      uow,
      config,
      timing,
      logger: new Logger(VoiceSettlement.name),
    };
  }

  /**
   * The new active session's settlement, or null when another session of the user became active
   * meanwhile. `onCreditStop` is called when a minute cannot be reserved: the session must end.
   */
  async open(userId: string, language: string, onCreditStop: () => void): Promise<SessionSettlement | null> {
    const session = await this.deps.sessions.start(userId, language, new Date());
    return session && new SessionSettlement(this.deps, session, onCreditStop);
  }
}

/**
 * The credits and the record of one session (docs/realtime.md §1.4): a reservation per started
 * minute of audio while it streams, then the charge of the started minutes and the session's end,
 * stored together however the session ends.
 */
export class SessionSettlement {
  private audioStartedAt: number | null = null;
  private lastAudioAt = 0;
  private readonly reservations: Array<Promise<CreditReservation | null>> = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private stopped = false;

  constructor(
    private readonly deps: SettlementDeps,
    readonly session: VoiceSessionEntity,
    private readonly onCreditStop: () => void,
  ) {}

  /**
   * Audio went to the provider, counted from `at` (buffered frames: the time of `connected`).
   * True for the session's first audio: its clock, and the first minute's reservation, start at `at`.
   */
  recordAudio(at: number): boolean {
    const first = this.audioStartedAt === null;
    if (first) this.startMinutes(at);
    this.lastAudioAt = this.deps.timing.now();
    return first;
  }

  /** No more reservations: the session is ending or gone. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
  }

  /** Charges the started minutes, releases the surplus reservations and stores the session's end. */
  async settle(
    end: VoiceEnd,
    stoppedAt: number,
    finals: readonly string[],
    errorCode: string | null,
  ): Promise<SettledSession> {
    const { timing, credits, creditReservations, uow, sessions } = this.deps;
    // An idle session's audio ended with its last frame, not when the idle timeout fired.
    const audioEnd = end === 'idle' ? this.lastAudioAt : stoppedAt;
    const audioMs =
      this.audioStartedAt === null ? null : Math.max(0, Math.min(audioEnd - this.audioStartedAt, timing.maxDurationMs));
    const durationSeconds = Math.floor((audioMs ?? 0) / 1000);
    const reservations = (await Promise.all(this.reservations)).filter((r): r is CreditReservation => r !== null);
    const minutes = chargedMinutes(end, reservations.length, startedMinutes(audioMs, timing.minuteMs));
    const charged = reservations.slice(0, minutes);
    for (const surplus of reservations.slice(minutes)) await creditReservations.release(surplus);
    const transcript = joinTranscript(finals);
    const session = this.session;
    return uow.run(async (tx) => {
      let creditsUsed = 0;
      for (const reservation of charged) creditsUsed += await creditReservations.commit(tx, reservation);
      await sessions.close(tx, session, {
        end,
        endedAt: new Date(),
        durationSeconds,
        creditsUsed,
        transcript,
        errorCode,
      });
      const balance = await credits.balance(session.userId, tx.manager);
      return { transcript, durationSeconds, creditsUsed, creditsRemaining: balance.total };
    });
  }

  private startMinutes(now: number): void {
    const { timing } = this.deps;
    this.audioStartedAt = now;
    this.reserveMinute();
    const minutes = Math.ceil(timing.maxDurationMs / timing.minuteMs);
    for (let minute = 1; minute < minutes; minute++) {
      this.timers.push(setTimeout(() => this.reserveMinute(), now + minute * timing.minuteMs + 1 - timing.now()));
    }
  }

  /** Reserves the next started minute; a failed reservation stops the session (credit stop). */
  private reserveMinute(): void {
    if (this.stopped) return;
    const reservation = this.deps.creditReservations
      .reserve({
        userId: this.session.userId,
        amount: this.deps.config.AI_CREDIT_TRANSCRIPTION_PER_MIN,
        operationRef: `voice:${this.session.id}`,
        description: 'Voice transcription (per started minute)',
      })
      .catch((error: unknown) => {
        if (!(error instanceof DomainError && error.code === 'INSUFFICIENT_CREDITS'))
          this.deps.logger.error({ err: error }, 'voice reservation failed');
        this.onCreditStop();
        return null;
      });
    this.reservations.push(reservation);
  }
}
