import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { MaintenanceStep } from '@app/core/jobs/maintenance-step.decorator';
import { DAY_MS } from '@app/core/jobs/retention-deletes';
import { VoiceSessionRetentionRepository } from './voice-session-retention.repository';
import { STALE_SESSION_MS, VoiceSessionsService } from './voice-sessions.service';

/** docs/jobs.md §4 `maintenance_cleanup`: voice sessions are kept 30 days. */
const RETENTION_MS = 30 * DAY_MS;

/**
 * The voice sessions' part of `maintenance_cleanup`: the closing of sessions a crashed gateway left
 * `active` (docs/realtime.md §1.4), each in its own transaction, then the retention delete.
 */
@Injectable()
export class VoiceSessionRetention {
  constructor(
    private readonly retention: VoiceSessionRetentionRepository,
    private readonly uow: UnitOfWork,
    private readonly voiceSessions: VoiceSessionsService,
  ) {}

  @MaintenanceStep(40)
  async cleanUp(now: Date): Promise<Record<string, number>> {
    const aborted = await this.closeStale(new Date(now.getTime() - STALE_SESSION_MS), now);
    const deleted = await this.retention.deleteFinished(new Date(now.getTime() - RETENTION_MS));
    return { voice_sessions_aborted: aborted, voice_sessions_deleted: deleted };
  }

  /**
   * Closed exactly as the gateway's check 4 closes them (docs/realtime.md §1.4: `aborted`, `disconnect`,
   * activity `transcription_completed`); the crashed gateway's pending reservations go back through
   * `credit_reservation_release`.
   */
  private async closeStale(startedBefore: Date, now: Date): Promise<number> {
    let closed = 0;
    for (const id of await this.retention.staleIds(startedBefore)) {
      const didClose = await this.uow.run(async (tx) => {
        const session = await this.retention.lockStale(tx.manager, id, startedBefore);
        if (!session) return false;
        await this.voiceSessions.close(tx, session, {
          end: 'disconnect',
          endedAt: now,
          durationSeconds: session.durationSeconds,
          creditsUsed: 0,
          transcript: session.transcript,
          errorCode: null,
        });
        return true;
      });
      if (didClose) closed++;
    }
    return closed;
  }
}
