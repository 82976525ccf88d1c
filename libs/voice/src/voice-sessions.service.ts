import { Injectable } from '@nestjs/common';
import type { VoiceSessionEntity } from '@app/core/database/entities';
import { owned } from '@app/core/errors/owned';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { AiTranscription } from './transcription.events';
import { toVoiceSessionResponse, VoiceSessionResponseDto } from './dto/voice-session-response.dto';
import { endOutcome, VoiceEnd } from './voice-rules';
import { SessionEnd, VoiceSessionsRepository } from './voice-sessions.repository';

/** An `active` session older than this belongs to a crashed process (docs/data-model.md §19). */
export const STALE_SESSION_MS = 10 * 60 * 1000;

export interface SessionClose {
  end: VoiceEnd;
  endedAt: Date;
  durationSeconds: number;
  creditsUsed: number;
  transcript: string;
  errorCode: string | null;
}

/** Voice session records: start (one active per user), end with its event, lookup. */
@Injectable()
export class VoiceSessionsService {
  constructor(
    private readonly sessions: VoiceSessionsRepository,
    private readonly uow: UnitOfWork,
    private readonly metrics: MetricsService,
  ) {}

  async get(userId: string, id: string): Promise<VoiceSessionResponseDto> {
    return toVoiceSessionResponse(owned(await this.sessions.findById(id), userId, 'Voice session'));
  }

  /** Check 4 of docs/realtime.md §1.1: closes stale sessions as aborted, then tells whether one is still active. */
  hasActiveSession(userId: string, now: Date): Promise<boolean> {
    return this.uow.run(async (tx) => {
      for (const stale of await this.sessions.staleActive(
        tx.manager,
        userId,
        new Date(now.getTime() - STALE_SESSION_MS),
      )) {
        await this.close(tx, stale, {
          end: 'disconnect',
          endedAt: now,
          durationSeconds: stale.durationSeconds,
          creditsUsed: 0,
          transcript: stale.transcript,
          errorCode: null,
        });
      }
      return this.sessions.hasActive(tx.manager, userId);
    });
  }

  /** The new active session, or null when another one became active meanwhile. */
  start(userId: string, language: string, now: Date): Promise<VoiceSessionEntity | null> {
    return this.uow.run((tx) => this.sessions.insertActive(tx.manager, userId, language, now));
  }

  /** Writes the session's end and its `ai.transcription` event (activity `voice_session`) in `tx`. */
  async close(tx: Transaction, session: Pick<VoiceSessionEntity, 'id' | 'userId'>, close: SessionClose): Promise<void> {
    const outcome = endOutcome(close.end);
    const end: SessionEnd = {
      status: outcome.status,
      endReason: outcome.endReason,
      endedAt: close.endedAt,
      durationSeconds: close.durationSeconds,
      creditsUsed: close.creditsUsed,
      transcript: close.transcript,
      errorCode: close.errorCode,
    };
    await this.sessions.end(tx.manager, session.id, end);
    await tx.emit(
      AiTranscription,
      {
        origin: 'websocket',
        session_id: session.id,
        status: outcome.status,
        end_reason: outcome.endReason,
        action: outcome.action,
        duration_seconds: close.durationSeconds,
        credits_used: close.creditsUsed,
        outcome: outcome.status,
      },
      { userId: session.userId, source: 'ai', occurredAt: close.endedAt },
    );
    tx.afterCommit(async () => this.metrics.voiceSessions.inc({ outcome: outcome.status }));
  }
}
