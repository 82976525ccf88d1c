import { randomUUID } from 'node:crypto';
import { StreakReader } from '@app/achievements/streak-reader';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { activity, createSubtask, createTask, createTasksTestApp, member, TASK_KEYS, taskRow } from './task-fixtures';

describe('Tasks: completion side effects and force-complete', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it("should force-complete every open subtask with the task's completed_at, without auto-completion", async () => {
    const alice = await member(t);
    const task = await createTask(alice.api);
    const first = await createSubtask(alice.api, task.id, 'First');
    const second = await createSubtask(alice.api, task.id, 'Second');
    await alice.api.patch(`/api/v1/subtasks/${first.id}`).send({ completed: true });
    const firstDone = (await alice.api.get(`/api/v1/tasks/${task.id}`)).body.data.subtasks[0].completed_at;

    const response = await alice.api.post(`/api/v1/tasks/${task.id}/force-complete`).send({ version: 1 });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body.data).sort()).toEqual(['streak', 'task', 'unlocked_achievements']);
    const { task: detail, streak, unlocked_achievements: unlocked } = response.body.data;
    expect(Object.keys(detail).sort()).toEqual([...TASK_KEYS, 'reminders', 'subtasks'].sort());
    expect(detail).toMatchObject({
      completed: true,
      completed_by: 'force',
      version: 2,
      subtask_count: 2,
      subtask_completed_count: 2,
    });
    expect(detail.subtasks).toEqual([
      expect.objectContaining({ id: first.id, completed: true, completed_at: firstDone }),
      expect.objectContaining({ id: second.id, completed: true, completed_at: detail.completed_at }),
    ]);
    expect(streak).toBe(1);
    expect(unlocked).toEqual([]);
    const entries = await activity(t, alice.id);
    expect(entries.filter((entry) => entry.action === 'task_completed')).toEqual([
      expect.objectContaining({
        entity_id: task.id,
        source: 'user',
        metadata: expect.objectContaining({ completed_by: 'force', counted: true }),
      }),
    ]);
    expect(
      entries
        .filter((entry) => entry.action === 'subtask_completed')
        .map((entry) => [entry.entity_id, entry.metadata.auto_check]),
    ).toEqual([
      [first.id, true],
      [second.id, false],
    ]);
  });

  it('should accept an empty body and refuse completed, archived, stale and foreign tasks in the documented order', async () => {
    const alice = await member(t);
    const bob = await member(t);
    const task = await createTask(alice.api);
    await expect(alice.api.post(`/api/v1/tasks/${task.id}/force-complete`)).resolves.toMatchObject({ status: 200 });
    expectError(await alice.api.post(`/api/v1/tasks/${task.id}/force-complete`).send({}), 409, 'ALREADY_COMPLETED');
    expectError(await alice.api.post(`/api/v1/tasks/${task.id}/force-complete`).send({ version: 1 }), 409, 'CONFLICT');
    await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ archived: true });
    expectError(await alice.api.post(`/api/v1/tasks/${task.id}/force-complete`).send({}), 409, 'ARCHIVED');
    expectError(await bob.api.post(`/api/v1/tasks/${task.id}/force-complete`).send({}), 403, 'FORBIDDEN');
    expectError(await bob.api.post(`/api/v1/tasks/${randomUUID()}/force-complete`).send({}), 404, 'NOT_FOUND');
    expectError(
      await bob.api.post(`/api/v1/tasks/${task.id}/force-complete`).send({ version: 'two' }),
      400,
      'VALIDATION_ERROR',
    );
  });

  it('should end the active focus session on the task and credit its time before counting', async () => {
    const alice = await member(t);
    const task = await createTask(alice.api, { estimated_duration: 10 });
    const started = await alice.api.post('/api/v1/focus/start').send({ task_id: task.id });
    await t.dataSource.query(`UPDATE focus_sessions SET started_at = now() - interval '6 minutes' WHERE id = $1`, [
      started.body.data.id,
    ]);

    const response = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true });
    expect(response.body.data.focus_time_seconds).toBeGreaterThanOrEqual(360);
    expect(response.body.data.version).toBe(2);
    const [session] = await t.dataSource.query(`SELECT ended_at, duration_seconds FROM focus_sessions WHERE id = $1`, [
      started.body.data.id,
    ]);
    expect(session.ended_at).not.toBeNull();
    expect(session.duration_seconds).toBeGreaterThanOrEqual(360);
    await expect(alice.api.get('/api/v1/focus/active')).resolves.toMatchObject({ body: { data: null } });
    const [state] = await t.dataSource.query(
      `SELECT focus_completions, lifetime_tasks_completed FROM user_achievement_states WHERE user_id = $1`,
      [alice.id],
    );
    expect(state).toEqual({ focus_completions: 1, lifetime_tasks_completed: 1 });
    const actions = (await activity(t, alice.id)).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['focus_started', 'focus_ended', 'task_completed']));
  });

  it('should return the achievements a completion unlocks and count each task once', async () => {
    const alice = await member(t);
    const tasks = await Promise.all([1, 2, 3, 4, 5].map((n) => createTask(alice.api, { title: `Task ${n}` })));
    for (const task of tasks.slice(0, 4)) {
      const response = await alice.api.patch(`/api/v1/tasks/${task.id}`).send({ completed: true });
      expect(response.body.data.unlocked_achievements).toEqual([]);
    }
    await alice.api.patch(`/api/v1/tasks/${tasks[0].id}`).send({ completed: false });
    const recount = await alice.api.patch(`/api/v1/tasks/${tasks[0].id}`).send({ completed: true });
    expect(recount.body.data.unlocked_achievements).toEqual([]);
    const fifth = await alice.api.patch(`/api/v1/tasks/${tasks[4].id}`).send({ completed: true });
    expect(fifth.body.data.unlocked_achievements).toEqual([
      expect.objectContaining({
        id: 'tasks_5',
        perk: { type: 'max_tasks', value: 15 },
        perk_type: 'max_tasks',
        perk_value: 15,
      }),
    ]);
    const [state] = await t.dataSource.query(
      `SELECT lifetime_tasks_completed FROM user_achievement_states WHERE user_id = $1`,
      [alice.id],
    );
    expect(state.lifetime_tasks_completed).toBe(5);
    await expect(taskRow(t, tasks[0].id)).resolves.toMatchObject({ stats_counted: true });
  });

  it('should read the current streak as 0 once a UTC day was missed (fallback when no handler reports it)', async () => {
    const alice = await member(t);
    await t.dataSource.query(
      `UPDATE user_achievement_states SET current_streak = 4, last_completion_date = '2026-03-10' WHERE user_id = $1`,
      [alice.id],
    );
    const reader = t.app.get(StreakReader);
    const read = (iso: string): Promise<number> => reader.currentStreak(t.dataSource.manager, alice.id, new Date(iso));
    await expect(read('2026-03-10T08:00:00.000Z')).resolves.toBe(4);
    await expect(read('2026-03-11T23:59:59.999Z')).resolves.toBe(4);
    await expect(read('2026-03-12T00:00:00.000Z')).resolves.toBe(0);
    await expect(reader.currentStreak(t.dataSource.manager, randomUUID(), new Date())).resolves.toBe(0);
  });
});
