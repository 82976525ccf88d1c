import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { activity, createTasksTestApp, insertTasks, ISO, Member, member, TASK_KEYS } from '../tasks/task-fixtures';

const ZONE = 'America/New_York';
const MINUTE = 60_000;

/** Wall-clock date and time of an instant in New York, as `YYYY-MM-DD HH:mm` and its weekday. */
function newYork(iso: string): { local: string; weekday: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: ZONE,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'long',
    })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return { local: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`, weekday: parts.weekday };
}

async function counts(t: TestApp, userId: string): Promise<Record<string, number>> {
  const [row] = await t.dataSource.query(
    `SELECT (SELECT count(*)::int FROM task_instances WHERE user_id = $1) AS tasks,
            (SELECT count(*)::int FROM task_templates WHERE user_id = $1) AS templates,
            (SELECT count(*)::int FROM reminders WHERE user_id = $1) AS reminders`,
    [userId],
  );
  return row;
}

describe('Quick add (docs/quick-add.md)', () => {
  let t: TestApp;
  let alice: Member;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  beforeEach(async () => {
    alice = await member(t);
    await t.dataSource.query(`UPDATE users SET timezone = $2 WHERE id = $1`, [alice.id, ZONE]);
  });

  afterAll(async () => {
    await t.close();
  });

  const SENTENCE = 'Call mom tomorrow 5pm every sunday !high remind me 30m before';

  it('should create the recurring template, its first instance and the reminder the sentence names', async () => {
    const response = await alice.api.post('/api/v1/tasks/quick-add').send({ text: SENTENCE });
    expect(response.status).toBe(201);
    const { task, template, reminders, spans } = response.body.data;
    expect(Object.keys(task).sort()).toEqual(TASK_KEYS);
    expect(task).toMatchObject({
      title: 'Call mom',
      priority: 'high',
      template_id: template.id,
      estimated_duration: null,
      completed: false,
      version: 1,
    });
    expect(newYork(task.due_date)).toEqual({ local: expect.stringMatching(/ 17:00$/), weekday: 'Sunday' });
    expect(template).toMatchObject({
      title: 'Call mom',
      priority: 'high',
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      active: true,
    });
    expect(reminders).toEqual([
      expect.objectContaining({
        task_id: task.id,
        type: 'before',
        offset_minutes: 30,
        scheduled_at: new Date(Date.parse(task.due_date) - 30 * MINUTE).toISOString(),
        fired: false,
      }),
    ]);
    expect(spans.map((span: { kind: string; text: string }) => [span.kind, span.text])).toEqual([
      ['date', 'tomorrow 5pm'],
      ['recurrence', 'every sunday'],
      ['priority', '!high'],
      ['reminder', 'remind me 30m before'],
    ]);
    expect(spans[0]).toEqual({ start: 9, end: 21, kind: 'date', text: 'tomorrow 5pm', value: task.due_date });
    expect(await counts(t, alice.id)).toEqual({ tasks: 1, templates: 1, reminders: 1 });
    const [row] = await t.dataSource.query(`SELECT title, priority, template_id FROM task_instances WHERE id = $1`, [
      task.id,
    ]);
    expect(row).toEqual({ title: 'Call mom', priority: 'high', template_id: template.id });
    const actions = (await activity(t, alice.id)).map((entry) => [entry.entity_type, entry.action, entry.source]);
    expect(actions.slice(-3)).toEqual([
      ['task', 'recurring_instance_generated', 'system'],
      ['template', 'template_created', 'user'],
      ['reminder', 'reminder_created', 'user'],
    ]);
  });

  it('should preview exactly what it would create, creating nothing', async () => {
    const preview = await alice.api.post('/api/v1/tasks/quick-add/preview').send({ text: SENTENCE });
    expect(preview.status).toBe(200);
    expect(preview.body.data).toEqual({
      title: 'Call mom',
      priority: 'high',
      due_date: expect.stringMatching(ISO),
      estimated_duration: null,
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU', dtstart: expect.stringMatching(ISO) },
      reminders: [{ type: 'before', offset_minutes: 30, scheduled_at: null }],
      spans: expect.any(Array),
      time_zone: ZONE,
    });
    expect(await counts(t, alice.id)).toEqual({ tasks: 0, templates: 0, reminders: 0 });
    const created = await alice.api.post('/api/v1/tasks/quick-add').send({ text: SENTENCE });
    expect(created.body.data.task.due_date).toBe(preview.body.data.due_date);
    expect(created.body.data.spans).toEqual(preview.body.data.spans);
  });

  it('should create a plain task with due date, duration and priority, dates read in the user’s zone', async () => {
    const response = await alice.api
      .post('/api/v1/tasks/quick-add')
      .send({ text: 'Write report tomorrow 9am for 45m p3' });
    expect(response.status).toBe(201);
    const { task, template, reminders } = response.body.data;
    expect({ title: task.title, priority: task.priority, estimated_duration: task.estimated_duration }).toEqual({
      title: 'Write report',
      priority: 'low',
      estimated_duration: 45,
    });
    const tomorrow = newYork(new Date(Date.now() + 86_400_000).toISOString()).local.slice(0, 10);
    expect(newYork(task.due_date).local).toBe(`${tomorrow} 09:00`);
    expect({ template, reminders }).toEqual({ template: null, reminders: [] });
    expect(await activity(t, alice.id, task.id)).toEqual([
      { entity_type: 'task', entity_id: task.id, action: 'task_created', source: 'user', metadata: expect.any(Object) },
    ]);
  });

  it('should keep a title that only looks like a date as it is', async () => {
    for (const text of ['Read 1984', 'Call May']) {
      const response = await alice.api.post('/api/v1/tasks/quick-add').send({ text });
      expect(response.status).toBe(201);
      expect(response.body.data).toMatchObject({
        task: { title: text, due_date: null, priority: 'medium' },
        spans: [],
      });
    }
  });

  it('should refuse a text that leaves no title, or none at all, with a 400', async () => {
    expect(
      expectError(
        await alice.api.post('/api/v1/tasks/quick-add').send({ text: 'tomorrow 5pm' }),
        400,
        'VALIDATION_ERROR',
      ),
    ).toMatchObject({ details: [{ field: 'text', message: 'leaves no title once the date and options are read' }] });
    expectError(await alice.api.post('/api/v1/tasks/quick-add').send({}), 400, 'VALIDATION_ERROR');
    expectError(
      await alice.api.post('/api/v1/tasks/quick-add').send({ text: 'x'.repeat(501) }),
      400,
      'VALIDATION_ERROR',
    );
    expectError(await alice.api.post('/api/v1/tasks/quick-add/preview').send({ text: 42 }), 400, 'VALIDATION_ERROR');
    expect(await counts(t, alice.id)).toEqual({ tasks: 0, templates: 0, reminders: 0 });
  });

  it('should create nothing when the active-task limit is reached', async () => {
    await insertTasks(t, alice.id, 50);
    const response = await alice.api
      .post('/api/v1/tasks/quick-add')
      .send({ text: 'Pay rent every month remind me 1h before' });
    expect(expectError(response, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 50, current: 50 });
    expect(await counts(t, alice.id)).toEqual({ tasks: 50, templates: 0, reminders: 0 });
  });

  it('should replay a repeated Idempotency-Key without creating a second task', async () => {
    const key = randomUUID();
    const first = await alice.api
      .post('/api/v1/tasks/quick-add')
      .set('Idempotency-Key', key)
      .send({ text: 'Buy milk' });
    const again = await alice.api
      .post('/api/v1/tasks/quick-add')
      .set('Idempotency-Key', key)
      .send({ text: 'Buy milk' });
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
    expect(await counts(t, alice.id)).toEqual({ tasks: 1, templates: 0, reminders: 0 });
  });

  it('should need authentication', async () => {
    expectError(await t.http.post('/api/v1/tasks/quick-add').send({ text: 'Buy milk' }), 401, 'UNAUTHORIZED');
  });
});
