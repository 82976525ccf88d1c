import { randomUUID } from 'node:crypto';
import { useAiTestApp } from '../support/ai-test-app';
import type { FakeOpenAi } from '../support/fake-openai';
import { as, expectError, loginAs } from '../support/factories';
import type { TestApp } from '../support/test-app';

describe('POST /api/v1/ai/confirm-action', () => {
  const ai = useAiTestApp({
    RATE_LIMIT_AI: '1000',
    RATE_LIMIT_GENERAL: '1000',
  });
  let t: TestApp;
  let fake: FakeOpenAi;
  beforeAll(() => ({ t, fake } = ai));

  async function createTask(
    token: string,
    body: Record<string, unknown> = { title: 'Write the report' },
  ): Promise<Record<string, unknown>> {
    const res = await as(t, token).post('/api/v1/tasks').send(body);
    expect(res.status).toBe(201);
    return res.body.data;
  }

  function confirm(token: string, body: unknown): Promise<import('supertest').Response> {
    return as(t, token)
      .post('/api/v1/ai/confirm-action')
      .send(body as object);
  }

  async function aiActivity(userId: string): Promise<Array<{ entity_type: string; action: string; source: string }>> {
    return t.dataSource.query(
      `SELECT entity_type, action, source FROM activity_logs WHERE user_id = $1 AND source = 'ai' ORDER BY created_at, action`,
      [userId],
    );
  }

  it('should generate subtasks and confirm them onto the task with source ai, free of charge', async () => {
    const { accessToken, user } = await loginAs(t);
    const task = await createTask(accessToken);
    fake.content = { subtasks: [{ title: 'Collect numbers' }, { title: 'Draft' }] };
    const generated = await as(t, accessToken).post('/api/v1/ai/generate-subtasks').send({ task_id: task.id });
    const res = await confirm(accessToken, {
      action_type: 'create_subtasks',
      action_data: { task_id: task.id, subtasks: generated.body.data.suggested_subtasks },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      action_type: 'create_subtasks',
      subtasks: [
        expect.objectContaining({
          task_id: task.id,
          title: 'Collect numbers',
          order_index: 0,
          source: 'ai',
          completed: false,
        }),
        expect.objectContaining({ task_id: task.id, title: 'Draft', order_index: 1, source: 'ai' }),
      ],
    });
    expect((await as(t, accessToken).get('/api/v1/credits/balance')).body.data.total).toBe(4);
    expect(await aiActivity(user.id)).toEqual(
      expect.arrayContaining([
        { entity_type: 'subtask', action: 'subtask_created', source: 'ai' },
        { entity_type: 'ai_chat', action: 'ai_action_confirmed', source: 'ai' },
      ]),
    );
  });

  it('should create nothing when subtasks would exceed the limit', async () => {
    const { accessToken } = await loginAs(t);
    const task = await createTask(accessToken);
    const five = Array.from({ length: 5 }, (_, i) => ({ title: `s${i}` }));
    const error = expectError(
      await confirm(accessToken, { action_type: 'create_subtasks', action_data: { task_id: task.id, subtasks: five } }),
      409,
      'LIMIT_EXCEEDED',
    );
    expect(error).toMatchObject({ limit: 4, current: 0 });
    expect((await as(t, accessToken).get(`/api/v1/tasks/${String(task.id)}/subtasks`)).body.data).toEqual([]);
  });

  it('should create, update and complete tasks like the task endpoints do', async () => {
    const { accessToken, user } = await loginAs(t);
    const created = await confirm(accessToken, {
      action_type: 'create_task',
      action_data: { title: ' Call Bob ', priority: 'high' },
    });
    expect(created.status).toBe(200);
    expect(created.body.data).toEqual({
      action_type: 'create_task',
      task: expect.objectContaining({
        title: 'Call Bob',
        priority: 'high',
        user_id: user.id,
        version: 1,
        subtask_count: 0,
      }),
    });
    const taskId = created.body.data.task.id;
    const stale = expectError(
      await confirm(accessToken, {
        action_type: 'update_task',
        action_data: { task_id: taskId, version: 7, title: 'x' },
      }),
      409,
      'CONFLICT',
    );
    expect(stale.current_version).toBe(1);
    const updated = await confirm(accessToken, {
      action_type: 'update_task',
      action_data: { task_id: taskId, title: 'Call Bob today' },
    });
    expect(updated.body.data).toEqual({
      action_type: 'update_task',
      task: expect.objectContaining({ id: taskId, title: 'Call Bob today', version: 2 }),
      unlocked_achievements: [],
    });
    const completed = await confirm(accessToken, {
      action_type: 'complete_task',
      action_data: { task_id: taskId, version: 2 },
    });
    expect(completed.status).toBe(200);
    expect(completed.body.data).toEqual({
      action_type: 'complete_task',
      task: expect.objectContaining({
        id: taskId,
        completed: true,
        completed_by: 'manual',
        version: 3,
        subtasks: [],
        reminders: [],
      }),
      unlocked_achievements: [],
      streak: 1,
    });
    expectError(
      await confirm(accessToken, { action_type: 'complete_task', action_data: { task_id: taskId } }),
      409,
      'ALREADY_COMPLETED',
    );
    const actions = (await aiActivity(user.id)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['task_created', 'task_updated', 'task_completed', 'ai_action_confirmed']),
    );
  });

  it('should convert a note: suggestion for 1 credit, then task, subtasks, archive and one counted conversion', async () => {
    const { accessToken, user } = await loginAs(t);
    const note = (await as(t, accessToken).post('/api/v1/notes').send({ content: 'Call the supplier about delivery' }))
      .body.data;
    fake.content = {
      task: { title: 'Call the supplier', subtasks: [{ title: 'Find order' }] },
      note_understanding: 'A call',
      confidence: 0.9,
    };
    const suggestion = (await as(t, accessToken).post(`/api/v1/notes/${String(note.id)}/convert`)).body.data;
    expect(await t.dataSource.query('SELECT id FROM task_instances WHERE user_id = $1', [user.id])).toEqual([]);
    const res = await confirm(accessToken, {
      action_type: 'convert_note',
      action_data: { note_id: note.id, task: suggestion.task_suggestion },
    });
    expect(res.status).toBe(200);
    const { task, note: converted, unlocked_achievements: unlocked } = res.body.data;
    expect(res.body.data.action_type).toBe('convert_note');
    expect(task).toMatchObject({
      title: 'Call the supplier',
      subtask_count: 1,
      subtasks: [expect.objectContaining({ title: 'Find order', source: 'ai' })],
    });
    expect(converted).toMatchObject({
      id: note.id,
      archived: true,
      converted_task_id: task.id,
      content: 'Call the supplier about delivery',
    });
    expect(unlocked).toEqual([]);
    const activity = await t.dataSource.query(
      `SELECT action, source, metadata FROM activity_logs WHERE user_id = $1 AND entity_type = 'note' AND action IN ('note_converted', 'note_archived')`,
      [user.id],
    );
    expect(activity).toEqual(
      expect.arrayContaining([
        { action: 'note_converted', source: 'ai', metadata: { task_id: task.id, first_conversion: true } },
        { action: 'note_archived', source: 'ai', metadata: {} },
      ]),
    );
    expectError(
      await confirm(accessToken, {
        action_type: 'convert_note',
        action_data: { note_id: note.id, task: { title: 'Again' } },
      }),
      409,
      'ARCHIVED',
    );
    await as(t, accessToken)
      .patch(`/api/v1/notes/${String(note.id)}`)
      .send({ archived: false })
      .expect(200);
    const again = await confirm(accessToken, {
      action_type: 'convert_note',
      action_data: { note_id: note.id, task: { title: 'Again' }, archive_note: false },
    });
    expect(again.body.data.note).toMatchObject({ archived: false, converted_task_id: again.body.data.task.id });
    const [second] = await t.dataSource.query(
      `SELECT metadata FROM activity_logs WHERE user_id = $1 AND action = 'note_converted' AND metadata->>'task_id' = $2`,
      [user.id, again.body.data.task.id],
    );
    expect(second.metadata.first_conversion).toBe(false);
  });

  it('should roll back a conversion whose subtasks exceed the limit', async () => {
    const { accessToken, user } = await loginAs(t);
    const note = (await as(t, accessToken).post('/api/v1/notes').send({ content: 'Big plan' })).body.data;
    const subtasks = Array.from({ length: 5 }, (_, i) => ({ title: `s${i}` }));
    expectError(
      await confirm(accessToken, {
        action_type: 'convert_note',
        action_data: { note_id: note.id, task: { title: 'Plan', subtasks } },
      }),
      409,
      'LIMIT_EXCEEDED',
    );
    expect(await t.dataSource.query('SELECT id FROM task_instances WHERE user_id = $1', [user.id])).toEqual([]);
    expect((await as(t, accessToken).get(`/api/v1/notes/${String(note.id)}`)).body.data).toMatchObject({
      archived: false,
      converted_task_id: null,
    });
  });

  it('should validate action_type and action_data', async () => {
    const { accessToken } = await loginAs(t);
    const other = await loginAs(t);
    for (const actionType of [undefined, 5, null, ['create_task'], {}]) {
      const error = expectError(
        await confirm(accessToken, { action_type: actionType, action_data: {} }),
        400,
        'VALIDATION_ERROR',
      );
      expect((error.details as Array<{ field: string }>).map((d) => d.field)).toContain('action_type');
    }
    for (const actionType of ['', 'delete_everything']) {
      expectError(await confirm(accessToken, { action_type: actionType, action_data: {} }), 400, 'INVALID_ACTION');
    }
    const missingTitle = expectError(
      await confirm(accessToken, { action_type: 'create_task', action_data: {} }),
      400,
      'VALIDATION_ERROR',
    );
    expect(missingTitle.details).toEqual([{ field: 'action_data.title', message: expect.any(String) }]);
    const badId = expectError(
      await confirm(accessToken, { action_type: 'complete_task', action_data: { task_id: 'x' } }),
      400,
      'VALIDATION_ERROR',
    );
    expect(badId.details).toEqual([{ field: 'action_data.task_id', message: expect.any(String) }]);
    expectError(
      await confirm(accessToken, { action_type: 'complete_task', action_data: { task_id: randomUUID() } }),
      404,
      'NOT_FOUND',
    );
    const foreign = await createTask(other.accessToken);
    expectError(
      await confirm(accessToken, { action_type: 'complete_task', action_data: { task_id: foreign.id } }),
      403,
      'FORBIDDEN',
    );
    expectError(
      await confirm(accessToken, {
        action_type: 'create_subtasks',
        action_data: { task_id: foreign.id, subtasks: [{ title: 'x' }] },
      }),
      403,
      'FORBIDDEN',
    );
  });
});
