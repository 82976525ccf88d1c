import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { STALE_SESSION_MS, VoiceSessionsService } from '@app/voice/voice-sessions.service';
import { MaintenanceRepository } from './maintenance.repository';

const DAY_MS = 24 * 60 * 60_000;

/** Retention periods of docs/jobs.md §4 `maintenance_cleanup` (the queue's own: JobQueue's options). */
const RETENTION = {
  refreshTokensMs: 7 * DAY_MS,
  webhookEventsMs: 90 * DAY_MS,
  voiceSessionsMs: 30 * DAY_MS,
  heartbeatsMs: DAY_MS,
};

/**
 * docs/jobs.md §4 `maintenance_cleanup`: retention deletes on the job clock, and the closing of voice
 * sessions a crashed gateway left `active` (docs/realtime.md §1.4), each in its own transaction.
 */
@Injectable()
export class MaintenanceCleanupJobs {
  constructor(
    private readonly maintenance: MaintenanceRepository,
    private readonly queue: JobQueue,
    private readonly uow: UnitOfWork,
    private readonly voiceSessions: VoiceSessionsService,
  ) {}

  @JobHandler('maintenance_cleanup')
  async cleanup({ now }: JobContext): Promise<JobResult> {
    const before = (ms: number): Date => new Date(now.getTime() - ms);
    const refreshTokens = await this.maintenance.deleteRefreshTokens(before(RETENTION.refreshTokensMs));
    // Finished (7 days) and dead (30 days) jobs: pg-boss's retention, run now on the real clock.
    await this.queue.applyRetention();
    const webhookEvents = await this.maintenance.deleteWebhookEvents(before(RETENTION.webhookEventsMs));
    const aborted = await this.closeStaleVoiceSessions(before(STALE_SESSION_MS), now);
    const voiceSessions = await this.maintenance.deleteVoiceSessions(before(RETENTION.voiceSessionsMs));
    const heartbeats = await this.maintenance.deleteHeartbeats(before(RETENTION.heartbeatsMs));
    return {
      status: 'success',
      result: {
        refresh_tokens_deleted: refreshTokens,
        webhook_events_deleted: webhookEvents,
        voice_sessions_aborted: aborted,
        voice_sessions_deleted: voiceSessions,
        heartbeats_deleted: heartbeats,
      },
    };
  }

  /**
   * Closed exactly as the gateway's check 4 closes them (docs/realtime.md §1.4: `aborted`, `disconnect`,
   * activity `transcription_completed`); the crashed gateway's pending reservations go back through
   * `credit_reservation_release`.
   */
  private async closeStaleVoiceSessions(startedBefore: Date, now: Date): Promise<number> {
    let closed = 0;
    for (const id of await this.maintenance.staleVoiceSessionIds(startedBefore)) {
      const didClose = await this.uow.run(async (tx) => {
        const session = await this.maintenance.lockStaleVoiceSession(tx.manager, id, startedBefore);
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
