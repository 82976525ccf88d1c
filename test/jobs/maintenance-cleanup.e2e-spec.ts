import { randomBytes } from 'node:crypto';
import { DEAD_JOB_QUEUE, JobQueue } from '@app/core/jobs/job-queue.service';
import { loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('maintenance_cleanup (docs/jobs.md §4)', () => {
  let t: TestApp;
  let worker: TestWorker;
  const now = new Date();
  const ago = (ms: number): Date => new Date(now.getTime() - ms);

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker(t.databaseUrl);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  async function refreshToken(userId: string, fields: { expiresAt: Date; revokedAt?: Date }): Promise<string> {
    const [row] = await t.dataSource.query(
      `INSERT INTO refresh_tokens (user_id, token_hash, expires_at, revoked_at) VALUES ($1, $2, $3, $4) RETURNING id`,
      [userId, randomBytes(32).toString('hex'), fields.expiresAt, fields.revokedAt ?? null],
    );
    return row.id;
  }

  async function voiceSession(userId: string, status: string, startedAt: Date): Promise<string> {
    const [row] = await t.dataSource.query(
      `INSERT INTO voice_sessions (user_id, status, started_at, duration_seconds, credits_used, end_reason)
       VALUES ($1, $2, $3, 42, 5, CASE WHEN $2 = 'active' THEN NULL ELSE 'end_stream' END) RETURNING id`,
      [userId, status, startedAt],
    );
    return row.id;
  }

  /** A job that finished at `completedOn` (pg-boss has no clock to fake: the row is backdated). */
  async function finishedJob(state: 'completed' | 'failed', completedOn: Date): Promise<string> {
    const id = (await worker.context.get(JobQueue).enqueue(null, 'maintenance_cleanup', {}))!;
    await t.dataSource.query(`UPDATE pgboss.job SET state = $2, completed_on = $3 WHERE id = $1`, [
      id,
      state,
      completedOn,
    ]);
    return id;
  }

  /** A dead job's copy in the dead-job queue, kept until `keepUntil` (30 days after it died). */
  async function deadJob(keepUntil: Date): Promise<string> {
    const id = (await worker.context.get(JobQueue).boss.send(DEAD_JOB_QUEUE, { died: keepUntil }))!;
    await t.dataSource.query(`UPDATE pgboss.job SET keep_until = $2 WHERE id = $1`, [id, keepUntil]);
    return id;
  }

  async function exists(table: string, column: string, id: string): Promise<boolean> {
    const rows = await t.dataSource.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [id]);
    return rows.length === 1;
  }

  it('should delete what is past retention, close stale voice sessions once, and keep the rest', async () => {
    const { user } = await loginAs(t);
    const other = await loginAs(t);
    const tokens = {
      expiredLongAgo: await refreshToken(user.id, { expiresAt: ago(8 * DAY) }),
      revokedLongAgo: await refreshToken(user.id, {
        expiresAt: new Date(now.getTime() + DAY),
        revokedAt: ago(8 * DAY),
      }),
      expiredRecently: await refreshToken(user.id, { expiresAt: ago(6 * DAY) }),
      revokedRecently: await refreshToken(user.id, {
        expiresAt: new Date(now.getTime() + DAY),
        revokedAt: ago(6 * DAY),
      }),
    };
    for (const [eventId, receivedAt] of [
      ['evt_old', ago(91 * DAY)],
      ['evt_recent', ago(89 * DAY)],
    ] as const) {
      await t.dataSource.query(
        `INSERT INTO webhook_events (event_id, event_type, received_at, processed_at, outcome, payload)
         VALUES ($1, 'payment_captured', $2, $2, 'processed', '{}')`,
        [eventId, receivedAt],
      );
    }
    const sessions = {
      stale: await voiceSession(user.id, 'active', ago(11 * MINUTE)),
      live: await voiceSession(other.user.id, 'active', ago(9 * MINUTE)),
      old: await voiceSession(user.id, 'completed', ago(31 * DAY)),
      recent: await voiceSession(user.id, 'completed', ago(29 * DAY)),
    };
    for (const [runnerId, lastSeen] of [
      ['host:1', ago(25 * 60 * MINUTE)],
      ['host:2', ago(23 * 60 * MINUTE)],
    ] as const) {
      await t.dataSource.query(
        `INSERT INTO job_runner_heartbeats (runner_id, started_at, last_seen_at) VALUES ($1, $2, $2)`,
        [runnerId, lastSeen],
      );
    }
    const jobs = {
      completedOld: await finishedJob('completed', ago(8 * DAY)),
      completedRecent: await finishedJob('completed', ago(6 * DAY)),
      failedOld: await finishedJob('failed', ago(8 * DAY)),
      deadOld: await deadJob(ago(DAY)),
      deadRecent: await deadJob(new Date(now.getTime() + DAY)),
    };

    const outcome = await worker.runJob('maintenance_cleanup', now);

    expect(outcome).toEqual({
      status: 'success',
      result: {
        refresh_tokens_deleted: 2,
        webhook_events_deleted: 1,
        voice_sessions_aborted: 1,
        voice_sessions_deleted: 1,
        heartbeats_deleted: 1,
      },
    });
    expect(await exists('refresh_tokens', 'id', tokens.expiredLongAgo)).toBe(false);
    expect(await exists('refresh_tokens', 'id', tokens.revokedLongAgo)).toBe(false);
    expect(await exists('refresh_tokens', 'id', tokens.expiredRecently)).toBe(true);
    expect(await exists('refresh_tokens', 'id', tokens.revokedRecently)).toBe(true);
    expect(await exists('webhook_events', 'event_id', 'evt_old')).toBe(false);
    expect(await exists('webhook_events', 'event_id', 'evt_recent')).toBe(true);
    expect(await exists('job_runner_heartbeats', 'runner_id', 'host:1')).toBe(false);
    expect(await exists('job_runner_heartbeats', 'runner_id', 'host:2')).toBe(true);
    expect(await exists('voice_sessions', 'id', sessions.old)).toBe(false);
    expect(await exists('voice_sessions', 'id', sessions.recent)).toBe(true);
    expect(await exists('pgboss.job', 'id', jobs.completedOld)).toBe(false);
    expect(await exists('pgboss.job', 'id', jobs.completedRecent)).toBe(true);
    expect(await exists('pgboss.job', 'id', jobs.failedOld)).toBe(false);
    expect(await exists('pgboss.job', 'id', jobs.deadOld)).toBe(false);
    expect(await exists('pgboss.job', 'id', jobs.deadRecent)).toBe(true);

    const [stale] = await t.dataSource.query(`SELECT status, end_reason, ended_at FROM voice_sessions WHERE id = $1`, [
      sessions.stale,
    ]);
    expect(stale).toEqual({ status: 'aborted', end_reason: 'disconnect', ended_at: now });
    const [live] = await t.dataSource.query(`SELECT status FROM voice_sessions WHERE id = $1`, [sessions.live]);
    expect(live.status).toBe('active');
    const entries = await t.dataSource.query(
      `SELECT entity_type, action, source, metadata FROM activity_logs WHERE entity_id = $1`,
      [sessions.stale],
    );
    expect(entries).toEqual([
      {
        entity_type: 'voice_session',
        action: 'transcription_completed',
        source: 'ai',
        metadata: { status: 'aborted', end_reason: 'disconnect', duration_seconds: 42, credits_used: 0 },
      },
    ]);

    const again = await worker.runJob('maintenance_cleanup', now);
    expect(Object.values(again.result ?? {})).toEqual([0, 0, 0, 0, 0]);
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM activity_logs WHERE entity_id = $1`,
      [sessions.stale],
    );
    expect(count).toBe(1);
  });

  it('should evaluate retention on the job clock', async () => {
    await t.dataSource.query(
      `INSERT INTO job_runner_heartbeats (runner_id, started_at, last_seen_at) VALUES ('host:later', $1, $1)`,
      [now],
    );

    await worker.runJob('maintenance_cleanup', new Date(now.getTime() + DAY - MINUTE));
    expect(await exists('job_runner_heartbeats', 'runner_id', 'host:later')).toBe(true);

    await worker.runJob('maintenance_cleanup', new Date(now.getTime() + DAY + MINUTE));
    expect(await exists('job_runner_heartbeats', 'runner_id', 'host:later')).toBe(false);
  });
});
