import { DataSource } from 'typeorm';
import { BatchedRuns } from '@app/core/jobs/batched-runs';
import { batchCount } from '@app/core/jobs/key-ranges';
import { createTestDatabase } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';

const USERS = 120;
const BATCH_SIZE = 4;
const BATCHES = batchCount(USERS, BATCH_SIZE);
const DAY = 24 * 60 * 60_000;
const DAY_ONE = new Date('2031-03-10T00:00:00.000Z');
const at = (days: number): Date => new Date(DAY_ONE.getTime() + days * DAY);

/**
 * Set-based scheduled jobs (docs/jobs-batches.md) on two runner contexts of one database, with
 * batches of 4 users: a second runner takes part of a run's batches, every effect happens once,
 * and a failing batch is confined and retried.
 */
describe('batched scheduled jobs on two runners', () => {
  let database: { url: string; drop(): Promise<void> };
  let lead: TestWorker;
  let helper: TestWorker;
  let db: DataSource;
  let userIds: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    lead = await createTestWorker(database.url, { JOB_BATCH_SIZE: String(BATCH_SIZE) });
    helper = await createTestWorker(database.url, { JOB_BATCH_SIZE: String(BATCH_SIZE) });
    db = lead.context.get(DataSource);
    const users: Array<{ id: string }> = await db.query(
      `INSERT INTO users (google_id, email, name, tier)
       SELECT 'batch-' || i, 'batch-' || i || '@example.com', 'User ' || i, 'pro' FROM generate_series(1, $1) AS i
       RETURNING id`,
      [USERS],
    );
    userIds = users.map((user) => user.id);
    // 7 purchased credits each, so that every grant's balance_after is 7 + 10.
    await db.query(
      `INSERT INTO ai_credit_ledger (user_id, credit_type, operation, amount, balance_after, operation_ref, description,
                                     created_at, updated_at)
       SELECT id, 'purchased', 'grant', 7, 7, 'payment:seed-' || id, 'Purchased credits', $1, $1 FROM users`,
      [new Date(DAY_ONE.getTime() - DAY)],
    );
  });

  afterAll(async () => {
    await helper.close();
    await lead.close();
    await database.drop();
  });

  /** Runs `name` on the lead while the helper claims batches of the same run; returns both parts. */
  async function runWithHelper(name: 'credit_daily_grant' | 'credit_expire', now: Date) {
    let finished = false;
    let helped = 0;
    const helping = (async () => {
      while (!finished) {
        helped += await helper.context.get(BatchedRuns).assist();
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    try {
      return { outcome: await lead.runJob(name, now), helped: () => helped };
    } finally {
      finished = true;
      await helping;
    }
  }

  async function dailyLots(grantDate: string) {
    return db.query(
      `SELECT user_id, amount, consumed, balance_after, expires_at, operation_ref, description, created_at
       FROM ai_credit_ledger WHERE credit_type = 'daily' AND operation = 'grant' AND grant_date = $1 ORDER BY user_id`,
      [grantDate],
    );
  }

  it('should share the batches of credit_daily_grant between two runners and grant each user once', async () => {
    const { outcome, helped } = await runWithHelper('credit_daily_grant', DAY_ONE);

    expect(outcome).toEqual({ status: 'success', result: { users_granted: USERS, credits_granted: USERS * 10 } });
    expect(helped()).toBeGreaterThan(0);
    expect(helped()).toBeLessThan(BATCHES);
    expect(await dailyLots('2031-03-10')).toEqual(
      [...userIds].sort().map((userId) => ({
        user_id: userId,
        amount: 10,
        consumed: 0,
        balance_after: 17,
        expires_at: at(1),
        operation_ref: 'daily:2031-03-10',
        description: 'Daily AI credits',
        created_at: DAY_ONE,
      })),
    );
    const activity = await db.query(
      `SELECT user_id, entity_type, action, source, metadata, created_at FROM activity_logs
       WHERE action = 'credits_granted' ORDER BY user_id`,
    );
    expect(activity).toEqual(
      [...userIds].sort().map((userId) => ({
        user_id: userId,
        entity_type: 'credit',
        action: 'credits_granted',
        source: 'system',
        metadata: { credit_type: 'daily', amount: 10, reason: 'daily' },
        created_at: DAY_ONE,
      })),
    );
    expect(await db.query(`SELECT count(*)::int AS count FROM job_batch_runs`)).toEqual([{ count: 0 }]);
  });

  it('should change nothing when both runners run the job again at the same time', async () => {
    const before = await dailyLots('2031-03-10');

    const outcomes = await Promise.all([
      lead.runJob('credit_daily_grant', DAY_ONE),
      helper.runJob('credit_daily_grant', DAY_ONE),
    ]);

    expect(outcomes).toEqual([
      { status: 'success', result: { users_granted: 0, credits_granted: 0 } },
      { status: 'success', result: { users_granted: 0, credits_granted: 0 } },
    ]);
    expect(await dailyLots('2031-03-10')).toEqual(before);
  });

  it('should expire every lot once over shared batches, with one expire entry per unused remainder', async () => {
    const { outcome, helped } = await runWithHelper('credit_expire', at(1));

    expect(outcome).toEqual({ status: 'success', result: { lots_expired: USERS, credits_expired: USERS * 10 } });
    expect(helped()).toBeGreaterThan(0);
    const entries = await db.query(
      `SELECT e.amount, e.balance_after, e.operation_ref, e.created_at, l.expired
       FROM ai_credit_ledger e JOIN ai_credit_ledger l ON l.id = e.source_id
       WHERE e.operation = 'expire' ORDER BY e.user_id`,
    );
    expect(entries).toEqual(
      userIds.map(() => ({ amount: -10, balance_after: 7, operation_ref: 'expire', created_at: at(1), expired: true })),
    );
    const again = await lead.runJob('credit_expire', at(1));
    expect(again).toEqual({ status: 'success', result: { lots_expired: 0, credits_expired: 0 } });
  });

  describe('a failing batch', () => {
    afterEach(async () => {
      await db.query(`DROP TRIGGER IF EXISTS batch_fault ON ai_credit_ledger`);
      await db.query(`DROP FUNCTION IF EXISTS batch_fault()`);
      await db.query(`DROP SEQUENCE IF EXISTS batch_fault_attempts`);
    });

    /** Daily grants of `userId` fail for the first `failures` attempts (a sequence survives rollbacks). */
    async function failGrantsOf(userId: string, failures: number): Promise<void> {
      await db.query(`CREATE SEQUENCE batch_fault_attempts`);
      await db.query(`
        CREATE FUNCTION batch_fault() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.user_id = '${userId}' AND NEW.credit_type = 'daily' AND nextval('batch_fault_attempts') <= ${failures} THEN
            RAISE EXCEPTION 'injected batch fault';
          END IF;
          RETURN NEW;
        END $$`);
      await db.query(
        `CREATE TRIGGER batch_fault BEFORE INSERT ON ai_credit_ledger FOR EACH ROW EXECUTE FUNCTION batch_fault()`,
      );
    }

    it('should retry the batch and still grant everyone once', async () => {
      await failGrantsOf(userIds[17], 2);

      const outcome = await lead.runJob('credit_daily_grant', at(1));

      expect(outcome).toEqual({ status: 'success', result: { users_granted: USERS, credits_granted: USERS * 10 } });
      expect(await dailyLots('2031-03-11')).toHaveLength(USERS);
    });

    it('should commit the other batches, fail the job, and let the retry grant the rest', async () => {
      await failGrantsOf(userIds[42], 1_000);

      await expect(lead.runJob('credit_daily_grant', at(2))).rejects.toThrow(
        `1 of ${BATCHES} batches of credit_daily_grant failed (injected batch fault); the retry redoes them`,
      );
      const granted: Array<{ user_id: string }> = await dailyLots('2031-03-12');
      expect(granted.map((lot) => lot.user_id)).not.toContain(userIds[42]);
      expect(granted.length).toBeGreaterThan(USERS - 20);
      expect(granted.length).toBeLessThan(USERS);

      await db.query(`DROP TRIGGER batch_fault ON ai_credit_ledger`);
      const retry = await lead.runJob('credit_daily_grant', at(2));

      expect(retry).toEqual({
        status: 'success',
        result: { users_granted: USERS - granted.length, credits_granted: (USERS - granted.length) * 10 },
      });
      expect(await dailyLots('2031-03-12')).toHaveLength(USERS);
    });
  });

  it('should delete refresh tokens by batches of keys, chains included', async () => {
    const revokedAt = new Date(Date.now() - 8 * DAY);
    const tokens: Array<{ id: string }> = await db.query(
      `INSERT INTO refresh_tokens (user_id, token_hash, expires_at, revoked_at)
       SELECT $1, md5('batch-token-' || i) || md5('x' || i), $2, $2 FROM generate_series(1, 23) AS i RETURNING id`,
      [userIds[0], revokedAt],
    );
    for (let i = 1; i < tokens.length; i++) {
      await db.query(`UPDATE refresh_tokens SET replaced_by_id = $2 WHERE id = $1`, [tokens[i - 1].id, tokens[i].id]);
    }

    const outcome = await lead.runJob('maintenance_cleanup');

    expect(outcome.result).toMatchObject({ refresh_tokens_deleted: 23 });
    expect(await db.query(`SELECT count(*)::int AS count FROM refresh_tokens`)).toEqual([{ count: 0 }]);
  });
});
