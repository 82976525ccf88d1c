import { awayFromUtcMidnight } from '../support/clock-edges';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { AchievementProgressService } from '@app/achievements/achievement-progress.service';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';

type Api = ReturnType<typeof as>;

const DAY = 86_400_000;
const utcDay = (offsetDays = 0): string => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);

const CATALOGUE = [
  ['tasks_5', 'Task Starter', 'Complete 5 tasks', 'tasks', 5, 'max_tasks', 15],
  ['tasks_25', 'Task Master', 'Complete 25 tasks', 'tasks', 25, 'max_tasks', 25],
  ['tasks_100', 'Centurion', 'Complete 100 tasks', 'tasks', 100, 'max_tasks', 50],
  ['streak_7', 'Week Warrior', 'Maintain a 7-day streak', 'streaks', 7, 'daily_credits', 2],
  ['streak_30', 'Monthly Master', 'Maintain a 30-day streak', 'streaks', 30, 'daily_credits', 5],
  [
    'focus_10',
    'Focus Initiate',
    'Complete 10 tasks with at least 50% of their estimate in focus',
    'focus',
    10,
    'max_notes',
    5,
  ],
  ['notes_10', 'Note Taker', 'Convert 10 notes to tasks', 'notes', 10, 'max_notes', 5],
] as const;

describe('Achievements and streaks', () => {
  let t: TestApp;

  beforeEach(() => awayFromUtcMidnight());
  let worker: TestWorker;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '100000' });
    worker = await createTestWorker(t.databaseUrl);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  async function user(): Promise<{ id: string; api: Api }> {
    const login = await loginAs(t);
    return { id: login.user.id, api: as(t, login.accessToken) };
  }

  async function setState(userId: string, fields: Record<string, unknown>): Promise<void> {
    const keys = Object.keys(fields);
    await t.dataSource.query(
      `UPDATE user_achievement_states SET ${keys.map((key, i) => `${key} = $${i + 2}`).join(', ')} WHERE user_id = $1`,
      [userId, ...keys.map((key) => fields[key])],
    );
  }

  async function stateOf(userId: string): Promise<Record<string, unknown>> {
    const rows = await t.dataSource.query(
      `SELECT lifetime_tasks_completed, current_streak, longest_streak, last_completion_date::text AS last_completion_date,
              focus_completions, notes_converted
       FROM user_achievement_states WHERE user_id = $1`,
      [userId],
    );
    return rows[0];
  }

  /** Creates and completes a task; returns the completion answer's `unlocked_achievements`. */
  async function complete(
    api: Api,
    body: Record<string, unknown> = {},
    focusSeconds?: number,
  ): Promise<Array<Record<string, unknown>>> {
    const created = await api.post('/api/v1/tasks').send({ title: 'Do it', ...body });
    expect(created.status).toBe(201);
    if (focusSeconds !== undefined) {
      await t.dataSource.query(`UPDATE task_instances SET focus_time_seconds = $2 WHERE id = $1`, [
        created.body.data.id,
        focusSeconds,
      ]);
    }
    const done = await api.patch(`/api/v1/tasks/${created.body.data.id}`).send({ completed: true });
    expect(done.status).toBe(200);
    return done.body.data.unlocked_achievements;
  }

  const ids = (unlocked: Array<Record<string, unknown>>): unknown[] => unlocked.map((a) => a.id);

  describe('GET /api/v1/achievements', () => {
    it('should list the catalogue in catalogue order, message duplicating description', async () => {
      const { api } = await user();
      const res = await api.get('/api/v1/achievements');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        data: CATALOGUE.map(([id, name, description, category, threshold, perkType, perkValue]) => ({
          id,
          name,
          description,
          message: description,
          category,
          threshold,
          perk_type: perkType,
          perk_value: perkValue,
        })),
      });
    });

    it('should require authentication', async () => {
      expectError(await t.http.get('/api/v1/achievements'), 401, 'UNAUTHORIZED');
    });
  });

  describe('GET /api/v1/achievements/me, /stats, /limits', () => {
    it('should report zero metrics, nothing unlocked, progress for every achievement and the free limits', async () => {
      const { api } = await user();
      const res = await api.get('/api/v1/achievements/me');
      const stats = {
        lifetime_tasks_completed: 0,
        current_streak: 0,
        longest_streak: 0,
        focus_completions: 0,
        notes_converted: 0,
      };
      const limits = {
        max_tasks: 50,
        max_notes: 10,
        daily_ai_credits: 0,
        max_subtasks: 4,
        max_description_length: 1000,
      };
      expect(res.body).toEqual({
        data: {
          stats,
          unlocked: [],
          unlocked_achievements: [],
          progress: CATALOGUE.map(([id, name, , , threshold]) => ({
            id,
            name,
            current: 0,
            threshold,
            unlocked: false,
          })),
          effective_limits: limits,
        },
      });
      expect((await api.get('/api/v1/achievements/stats')).body).toEqual({ data: { stats } });
      expect((await api.get('/api/v1/achievements/limits')).body).toEqual({ data: { effective_limits: limits } });
    });
  });

  describe('unlocking through task completion', () => {
    it('should return tasks_5 inline on the 5th completion and raise the task limit by 15', async () => {
      const { id, api } = await user();
      for (let n = 1; n <= 4; n++) expect(await complete(api)).toEqual([]);

      const unlocked = await complete(api);

      expect(unlocked).toEqual([
        {
          id: 'tasks_5',
          name: 'Task Starter',
          description: 'Complete 5 tasks',
          unlocked_at: expect.stringMatching(/Z$/),
          perk: { type: 'max_tasks', value: 15 },
          perk_type: 'max_tasks',
          perk_value: 15,
        },
      ]);
      const me = await api.get('/api/v1/achievements/me');
      expect(me.body.data).toMatchObject({
        stats: { lifetime_tasks_completed: 5, current_streak: 1, longest_streak: 1 },
        unlocked: ['tasks_5'],
        unlocked_achievements: unlocked,
        effective_limits: { max_tasks: 65 },
      });
      expect(me.body.data.progress[0]).toEqual({
        id: 'tasks_5',
        name: 'Task Starter',
        current: 5,
        threshold: 5,
        unlocked: true,
      });

      // 65 active tasks are now allowed: 64 exist, the 65th is created, the 66th refused.
      await t.dataSource.query(
        `INSERT INTO task_instances (user_id, title) SELECT $1, 'filler ' || n FROM generate_series(1, 64) AS n`,
        [id],
      );
      expect((await api.post('/api/v1/tasks').send({ title: '65th' })).status).toBe(201);
      const refused = await api.post('/api/v1/tasks').send({ title: '66th' });
      expect(expectError(refused, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 65, current: 65 });

      const notifications = await api.get('/api/v1/notifications?type=achievement');
      expect(notifications.body.data).toEqual([
        expect.objectContaining({
          type: 'achievement',
          title: 'Achievement unlocked: Task Starter',
          body: 'Complete 5 tasks. Perk: +15 max tasks',
          action_url: '/achievements',
          task_id: null,
        }),
      ]);
      const activity = await t.dataSource.query(
        `SELECT entity_id, source, metadata FROM activity_logs WHERE user_id = $1 AND action = 'achievement_unlocked'`,
        [id],
      );
      expect(activity).toEqual([
        {
          entity_id: 'tasks_5',
          source: 'system',
          metadata: { name: 'Task Starter', perk_type: 'max_tasks', perk_value: 15 },
        },
      ]);
    });

    it('should unlock each task threshold exactly when reached', async () => {
      for (const [threshold, unlocked, maxTasks] of [
        [25, ['tasks_5', 'tasks_25'], 50 + 15 + 25],
        [100, ['tasks_5', 'tasks_25', 'tasks_100'], 50 + 15 + 25 + 50],
      ] as const) {
        const { id, api } = await user();
        await setState(id, { lifetime_tasks_completed: threshold - 2 });
        expect(ids(await complete(api))).toEqual(unlocked.slice(0, -1));
        expect(ids(await complete(api))).toEqual(unlocked.slice(-1));
        expect((await api.get('/api/v1/achievements/limits')).body.data.effective_limits.max_tasks).toBe(maxTasks);
      }
    });

    it('should unlock several at once in catalogue order', async () => {
      const { id, api } = await user();
      await setState(id, {
        lifetime_tasks_completed: 24,
        current_streak: 6,
        longest_streak: 6,
        last_completion_date: utcDay(-1),
      });
      expect(ids(await complete(api))).toEqual(['tasks_5', 'tasks_25', 'streak_7']);
      expect(await stateOf(id)).toMatchObject({ lifetime_tasks_completed: 25, current_streak: 7, longest_streak: 7 });
      expect((await api.get('/api/v1/achievements/limits')).body.data.effective_limits).toMatchObject({
        max_tasks: 90,
        daily_ai_credits: 2,
      });
    });

    it('should unlock streak_30 on the 30th consecutive UTC day and add 5 daily credits', async () => {
      const { id, api } = await user();
      await setState(id, { current_streak: 29, longest_streak: 29, last_completion_date: utcDay(-1) });
      expect(ids(await complete(api))).toEqual(['streak_7', 'streak_30']);
      expect((await api.get('/api/v1/achievements/limits')).body.data.effective_limits.daily_ai_credits).toBe(7);
      // Perks from today's unlocks apply from the next day's grant.
      const tomorrow = new Date(`${utcDay(1)}T00:00:00.000Z`);
      await worker.runJob('credit_daily_grant', tomorrow);
      const lots = await t.dataSource.query(
        `SELECT amount FROM ai_credit_ledger WHERE user_id = $1 AND credit_type = 'daily' AND grant_date = $2`,
        [id, utcDay(1)],
      );
      expect(lots).toEqual([{ amount: 7 }]);
    });

    it('should count a focus completion at half the estimate and unlock focus_10 (+5 notes)', async () => {
      const { id, api } = await user();
      await setState(id, { focus_completions: 9 });
      expect(await complete(api, { estimated_duration: 2 }, 59)).toEqual([]);
      expect(await stateOf(id)).toMatchObject({ focus_completions: 9 });
      expect(ids(await complete(api, { estimated_duration: 2 }, 60))).toEqual(['focus_10']);
      expect((await api.get('/api/v1/achievements/limits')).body.data.effective_limits.max_notes).toBe(15);
    });

    it('should unlock notes_10 on the 10th first conversion (+5 notes)', async () => {
      const { id, api } = await user();
      await setState(id, { notes_converted: 9 });
      const convert = (first: boolean): Promise<unknown[]> =>
        t.app.get(UnitOfWork).run(async (tx) => {
          const unlocked = await t.app
            .get(AchievementProgressService)
            .recordNoteConversion(tx, id, { firstConversion: first, convertedAt: new Date() });
          return unlocked.map((a) => a.id);
        });
      expect(await convert(false)).toEqual([]);
      expect(await stateOf(id)).toMatchObject({ notes_converted: 9 });
      expect(await convert(true)).toEqual(['notes_10']);
      expect((await api.get('/api/v1/achievements/me')).body.data).toMatchObject({
        stats: { notes_converted: 10 },
        unlocked: ['notes_10'],
        effective_limits: { max_notes: 15 },
      });
    });

    it('should not count re-opened and re-completed tasks again', async () => {
      const { id, api } = await user();
      const created = await api.post('/api/v1/tasks').send({ title: 'Once' });
      await api.patch(`/api/v1/tasks/${created.body.data.id}`).send({ completed: true });
      await api.patch(`/api/v1/tasks/${created.body.data.id}`).send({ completed: false });
      await api.patch(`/api/v1/tasks/${created.body.data.id}`).send({ completed: true });
      expect(await stateOf(id)).toMatchObject({ lifetime_tasks_completed: 1 });
    });
  });

  describe('streaks (UTC calendar days)', () => {
    it('should continue a streak from yesterday and restart it after a missed day', async () => {
      const continuing = await user();
      await setState(continuing.id, { current_streak: 3, longest_streak: 5, last_completion_date: utcDay(-1) });
      await complete(continuing.api);
      await complete(continuing.api);
      expect(await stateOf(continuing.id)).toMatchObject({
        current_streak: 4,
        longest_streak: 5,
        last_completion_date: utcDay(),
      });

      const broken = await user();
      await setState(broken.id, { current_streak: 5, longest_streak: 5, last_completion_date: utcDay(-2) });
      await complete(broken.api);
      expect(await stateOf(broken.id)).toMatchObject({
        current_streak: 1,
        longest_streak: 5,
        last_completion_date: utcDay(),
      });
    });

    it('should report a broken streak as 0 before the nightly job', async () => {
      const { id, api } = await user();
      await setState(id, { current_streak: 4, longest_streak: 4, last_completion_date: utcDay(-2) });
      expect((await api.get('/api/v1/achievements/stats')).body.data.stats).toMatchObject({
        current_streak: 0,
        longest_streak: 4,
      });
      expect(await stateOf(id)).toMatchObject({ current_streak: 4 });
    });

    it('should reset at the second UTC midnight after the last completion, once, keeping perks', async () => {
      const { id, api } = await user();
      await setState(id, { current_streak: 6, longest_streak: 6, last_completion_date: utcDay(-1) });
      expect(ids(await complete(api))).toEqual(['streak_7']);
      const lastDay = utcDay();

      await worker.runJob('streak_calculate', new Date(`${utcDay(1)}T00:00:00.000Z`));
      expect(await stateOf(id)).toMatchObject({ current_streak: 7, last_completion_date: lastDay });
      await worker.runJob('streak_calculate', new Date(`${utcDay(1)}T23:59:59.999Z`));
      expect(await stateOf(id)).toMatchObject({ current_streak: 7 });

      const resets = async (): Promise<number> =>
        (await t.dataSource.query(`SELECT count(*)::int AS n FROM activity_logs WHERE action = 'streak_reset'`))[0].n;
      const before = await resets();
      const reset = await worker.runJob('streak_calculate', new Date(`${utcDay(2)}T00:00:00.000Z`));
      expect(reset.status).toBe('success');
      // Every user of the file whose streak broke by then is reset in this run, this one among them.
      const made = (await resets()) - before;
      expect(made).toBeGreaterThanOrEqual(1);
      expect(reset.result).toEqual({ streaks_reset: made, users_checked: made });
      expect(await stateOf(id)).toMatchObject({ current_streak: 0, longest_streak: 7, last_completion_date: lastDay });
      await worker.runJob('streak_calculate', new Date(`${utcDay(2)}T00:15:00.000Z`));

      const activity = await t.dataSource.query(
        `SELECT entity_type, entity_id, source, metadata, created_at FROM activity_logs WHERE user_id = $1 AND action = 'streak_reset'`,
        [id],
      );
      expect(activity).toEqual([
        {
          entity_type: 'achievement',
          entity_id: id,
          source: 'system',
          metadata: { previous_streak: 7 },
          created_at: new Date(`${utcDay(2)}T00:00:00.000Z`),
        },
      ]);
      const me = await api.get('/api/v1/achievements/me');
      expect(me.body.data).toMatchObject({ unlocked: ['streak_7'], effective_limits: { daily_ai_credits: 2 } });
    });
  });
});
