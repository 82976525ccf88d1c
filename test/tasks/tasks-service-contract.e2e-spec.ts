import { UnitOfWork } from '@app/core/events/unit-of-work';
import { SubtasksService } from '@app/tasks/subtasks/subtasks.service';
import { TasksService } from '@app/tasks/tasks.service';
import type { TestApp } from '../support/test-app';
import { activity, createTask, createTasksTestApp, member, taskRow } from './task-fixtures';

/** The service methods confirmed AI actions reuse (source `ai`), against the real database. */
describe('Task services for confirmed AI actions', () => {
  let t: TestApp;
  let tasks: TasksService;
  let subtasks: SubtasksService;
  let uow: UnitOfWork;
  const ai = { source: 'ai' as const };

  beforeAll(async () => {
    t = await createTasksTestApp();
    tasks = t.app.get(TasksService);
    subtasks = t.app.get(SubtasksService);
    uow = t.app.get(UnitOfWork);
  });

  afterAll(async () => {
    await t.close();
  });

  it('should create a task with subtasks in one transaction, logged with source ai', async () => {
    const alice = await member(t);
    const created = await uow.run(async (tx) => {
      const task = await tasks.createInTx(tx, alice.id, { title: 'From a note', priority: 'high' }, 'ai');
      await subtasks.createMany(tx, alice.id, task.id, ['One', 'Two'], 'ai');
      return task;
    });
    const detail = (await alice.api.get(`/api/v1/tasks/${created.id}`)).body.data;
    expect(detail).toMatchObject({ title: 'From a note', priority: 'high', subtask_count: 2 });
    expect(
      detail.subtasks.map((subtask: { source: string; order_index: number }) => [subtask.source, subtask.order_index]),
    ).toEqual([
      ['ai', 0],
      ['ai', 1],
    ]);
    expect((await activity(t, alice.id)).filter((entry) => entry.source === 'ai').map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['task_created', 'subtask_created', 'subtask_created']),
    );
  });

  it('should refuse all subtasks when they would exceed the limit and roll the transaction back', async () => {
    const alice = await member(t);
    await expect(
      uow.run(async (tx) => {
        const task = await tasks.createInTx(tx, alice.id, { title: 'Too many' }, 'ai');
        await subtasks.createMany(tx, alice.id, task.id, ['1', '2', '3', '4', '5'], 'ai');
      }),
    ).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED', extra: { limit: 4, current: 0 } });
    await expect(t.dataSource.query(`SELECT id FROM task_instances WHERE user_id = $1`, [alice.id])).resolves.toEqual(
      [],
    );
  });

  it('should update and complete with source ai, refusing an already completed task', async () => {
    const alice = await member(t);
    const task = await createTask(alice.api);
    await expect(tasks.update(alice.id, task.id, { title: 'Renamed by AI', version: 1 }, ai)).resolves.toMatchObject({
      title: 'Renamed by AI',
      version: 2,
      unlocked_achievements: [],
    });
    await expect(tasks.complete(alice.id, task.id, { version: 2 }, ai)).resolves.toMatchObject({
      completed: true,
      completed_by: 'manual',
      version: 3,
    });
    await expect(tasks.complete(alice.id, task.id, {}, ai)).rejects.toMatchObject({ code: 'ALREADY_COMPLETED' });
    await expect(tasks.complete(alice.id, task.id, { version: 1 }, ai)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(taskRow(t, task.id)).resolves.toMatchObject({ version: 3, stats_counted: true });
    const entries = await activity(t, alice.id, task.id);
    expect(entries.filter((entry) => entry.source === 'ai').map((entry) => entry.action)).toEqual([
      'task_updated',
      'task_completed',
    ]);
    const archived = await createTask(alice.api);
    await alice.api.patch(`/api/v1/tasks/${archived.id}`).send({ archived: true });
    await expect(tasks.complete(alice.id, archived.id, {}, ai)).rejects.toMatchObject({ code: 'ARCHIVED' });
  });
});
