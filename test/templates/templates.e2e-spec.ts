import { randomUUID } from 'node:crypto';
import { expectError } from '../support/factories';
import type { TestApp } from '../support/test-app';
import { activity, createTask, createTasksTestApp, insertTasks, ISO, member, taskRow } from '../tasks/task-fixtures';

const TEMPLATE_KEYS = [
  'active',
  'created_at',
  'description',
  'dtstart',
  'estimated_duration',
  'id',
  'last_generated_at',
  'next_due',
  'priority',
  'rrule',
  'rrule_description',
  'title',
  'updated_at',
  'user_id',
];
const DAY = 86_400_000;

/** Brute-force reference: the first day (at dtstart's time of day) strictly after `after` that matches. */
function firstMatchAfter(dtstart: Date, after: Date, matches: (day: Date) => boolean): Date {
  for (let day = new Date(dtstart); ; day = new Date(day.getTime() + DAY)) {
    if (day.getTime() > after.getTime() && matches(day)) return day;
  }
}

async function instancesOf(
  t: TestApp,
  templateId: string,
): Promise<Array<{ id: string; due_date: Date; generated_from_task_id: string | null }>> {
  return t.dataSource.query(
    `SELECT id, due_date, generated_from_task_id FROM task_instances WHERE template_id = $1 ORDER BY due_date`,
    [templateId],
  );
}

describe('Recurring templates', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTasksTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  describe('POST /templates', () => {
    it('should create the template and its first instance at the first occurrence after now', async () => {
      const alice = await member(t);
      const before = Date.now();
      const response = await alice.api.post('/api/v1/templates').send({
        title: 'Stand-up',
        description: null,
        priority: 'high',
        estimated_duration: 15,
        rrule: ' RRULE:FREQ=DAILY;INTERVAL=1 ',
      });
      expect(response.status).toBe(201);
      const template = response.body.data;
      expect(Object.keys(template).sort()).toEqual([...TEMPLATE_KEYS, 'first_instance'].sort());
      expect(template).toMatchObject({
        user_id: alice.id,
        title: 'Stand-up',
        description: '',
        priority: 'high',
        estimated_duration: 15,
        rrule: 'FREQ=DAILY;INTERVAL=1',
        rrule_description: 'Every day',
        active: true,
        last_generated_at: expect.stringMatching(ISO),
      });
      const dtstart = new Date(template.dtstart);
      expect(dtstart.getUTCMilliseconds()).toBe(0);
      expect(Math.abs(dtstart.getTime() - before)).toBeLessThan(2000);
      const first = template.first_instance;
      expect(first).toMatchObject({
        template_id: template.id,
        title: 'Stand-up',
        priority: 'high',
        estimated_duration: 15,
        due_date: new Date(dtstart.getTime() + DAY).toISOString(),
        version: 1,
        subtask_count: 0,
      });
      expect(template.next_due).toBe(new Date(dtstart.getTime() + 2 * DAY).toISOString());
      await expect(instancesOf(t, template.id)).resolves.toEqual([
        { id: first.id, due_date: new Date(first.due_date), generated_from_task_id: null },
      ]);
      const entries = await activity(t, alice.id);
      expect(entries.find((entry) => entry.action === 'recurring_instance_generated')).toMatchObject({
        entity_id: first.id,
        source: 'system',
        metadata: { template_id: template.id, triggered_by_task_id: null },
      });
      expect(entries.find((entry) => entry.action === 'template_created')).toMatchObject({
        entity_type: 'template',
        source: 'user',
      });
    });

    it.each([
      ['daily', 'FREQ=DAILY', (): boolean => true],
      [
        'weekly on Monday and Wednesday',
        'FREQ=WEEKLY;BYDAY=MO,WE',
        (day: Date): boolean => [1, 3].includes(day.getUTCDay()),
      ],
      ['monthly on the 1st', 'FREQ=MONTHLY;BYMONTHDAY=1', (day: Date): boolean => day.getUTCDate() === 1],
      [
        'every 3 days',
        'FREQ=DAILY;INTERVAL=3',
        (day: Date, start?: Date): boolean => Math.round((day.getTime() - (start as Date).getTime()) / DAY) % 3 === 0,
      ],
    ])('should place the first %s instance by the rule, anchored at dtstart', async (_name, rrule, matches) => {
      const alice = await member(t);
      const dtstart = new Date(Math.floor((Date.now() - 40 * DAY) / 1000) * 1000);
      dtstart.setUTCHours(9, 30, 0, 0);
      const now = new Date();
      const response = await alice.api
        .post('/api/v1/templates')
        .send({ title: 'Rule', rrule, dtstart: dtstart.toISOString() });
      expect(response.status).toBe(201);
      const expected = firstMatchAfter(dtstart, now, (day) => matches(day, dtstart));
      expect(response.body.data.first_instance.due_date).toBe(expected.toISOString());
      const next = firstMatchAfter(dtstart, expected, (day) => matches(day, dtstart));
      expect(response.body.data.next_due).toBe(next.toISOString());
    });

    it('should not count a dtstart that does not match the rule', async () => {
      const alice = await member(t);
      const tuesday = new Date(Date.UTC(2030, 0, 1, 8, 0, 0));
      expect(tuesday.getUTCDay()).toBe(2);
      const response = await alice.api
        .post('/api/v1/templates')
        .send({ title: 'Mondays', rrule: 'FREQ=WEEKLY;BYDAY=MO', dtstart: tuesday.toISOString() });
      expect(response.body.data.first_instance.due_date).toBe('2030-01-07T08:00:00.000Z');
      expect(response.body.data.rrule_description).toBe('Every week on Monday');
    });

    it('should create the template without instance when no future occurrence exists', async () => {
      const alice = await member(t);
      const response = await alice.api.post('/api/v1/templates').send({
        title: 'Over',
        rrule: 'FREQ=DAILY;COUNT=2',
        dtstart: new Date(Date.now() - 10 * DAY).toISOString(),
      });
      expect(response.status).toBe(201);
      expect(response.body.data).toMatchObject({
        first_instance: null,
        next_due: null,
        last_generated_at: null,
        active: true,
      });
    });

    it.each([
      [{ title: 'x', rrule: 'FREQ=HOURLY' }, 'rrule'],
      [{ title: 'x', rrule: 'FREQ=DAILY;BYHOUR=9' }, 'rrule'],
      [{ title: 'x', rrule: 'FREQ=DAILY;COUNT=2;UNTIL=20300101' }, 'rrule'],
      [{ title: 'x', rrule: 'FREQ=DAILY;DTSTART=20300101T000000Z' }, 'rrule'],
      [{ title: 'x', rrule: `FREQ=DAILY;${'BYMONTH=1;'.repeat(50)}` }, 'rrule'],
      [{ title: 'x' }, 'rrule'],
      [{ rrule: 'FREQ=DAILY' }, 'title'],
      [{ title: 'x', rrule: 'FREQ=DAILY', estimated_duration: 0 }, 'estimated_duration'],
      [{ title: 'x', rrule: 'FREQ=DAILY', dtstart: '2030-01-01' }, 'dtstart'],
      [{ title: 'x', rrule: 'FREQ=DAILY', description: 'd'.repeat(1001) }, 'description'],
    ])('should refuse %j with 400 and create nothing', async (body, field) => {
      const alice = await member(t);
      const response = await alice.api.post('/api/v1/templates').send(body);
      expectError(response, 400, 'VALIDATION_ERROR');
      expect(response.body.error.details[0].field).toBe(field);
      await expect(t.dataSource.query(`SELECT id FROM task_templates WHERE user_id = $1`, [alice.id])).resolves.toEqual(
        [],
      );
    });

    it('should create nothing when the first instance would exceed the task limit', async () => {
      const alice = await member(t);
      await insertTasks(t, alice.id, 50);
      const response = await alice.api.post('/api/v1/templates').send({ title: 'Full', rrule: 'FREQ=DAILY' });
      expect(expectError(response, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 50, current: 50 });
      await expect(t.dataSource.query(`SELECT id FROM task_templates WHERE user_id = $1`, [alice.id])).resolves.toEqual(
        [],
      );
    });
  });

  describe('generation on completion', () => {
    it('should generate the successor once, inline, exempt from the task limit', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Daily', rrule: 'FREQ=DAILY' })).body
        .data;
      const first = template.first_instance;
      await insertTasks(t, alice.id, 49);
      const done = await alice.api.patch(`/api/v1/tasks/${first.id}`).send({ completed: true });
      expect(done.status).toBe(200);
      const instances = await instancesOf(t, template.id);
      expect(instances).toHaveLength(2);
      expect(instances[1]).toMatchObject({ generated_from_task_id: first.id, due_date: new Date(template.next_due) });
      const [job] = await t.dataSource.query(
        `SELECT state, data FROM pgboss.job WHERE name = 'recurring_task_generate' AND data->>'triggered_by_task_id' = $1`,
        [first.id],
      );
      expect(job).toEqual({ state: 'completed', data: { template_id: template.id, triggered_by_task_id: first.id } });
      const stored = (await alice.api.get(`/api/v1/templates/${template.id}`)).body.data;
      expect(stored.next_due).toBe(new Date(new Date(template.next_due).getTime() + DAY).toISOString());

      await alice.api.patch(`/api/v1/tasks/${first.id}`).send({ completed: false });
      await alice.api.patch(`/api/v1/tasks/${first.id}`).send({ completed: true });
      await alice.api.post(`/api/v1/tasks/${instances[1].id}/force-complete`).send({});
      const after = await instancesOf(t, template.id);
      expect(after).toHaveLength(3);
      expect(after[2].generated_from_task_id).toBe(instances[1].id);
    });

    it('should generate nothing for an inactive template', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Paused', rrule: 'FREQ=DAILY' })).body
        .data;
      await alice.api.patch(`/api/v1/templates/${template.id}`).send({ active: false });
      await alice.api.patch(`/api/v1/tasks/${template.first_instance.id}`).send({ completed: true });
      await expect(instancesOf(t, template.id)).resolves.toHaveLength(1);
    });
  });

  describe('POST /templates/{id}/generate', () => {
    it('should generate the next instance even if an incomplete one exists', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Weekly', rrule: 'FREQ=WEEKLY' })).body
        .data;
      const response = await alice.api.post(`/api/v1/templates/${template.id}/generate`);
      expect(response.status).toBe(201);
      expect(Object.keys(response.body.data).sort()).toEqual([
        'due_date',
        'instance_id',
        'message',
        'task',
        'template_id',
        'title',
      ]);
      expect(response.body.data).toMatchObject({
        template_id: template.id,
        title: 'Weekly',
        due_date: template.next_due,
        message: 'Instance generated successfully',
        task: { template_id: template.id, due_date: template.next_due, version: 1 },
      });
      expect(response.body.data.instance_id).toBe(response.body.data.task.id);
      await expect(instancesOf(t, template.id)).resolves.toHaveLength(2);
    });

    it('should answer TEMPLATE_EXHAUSTED once COUNT is used up, without creating an instance', async () => {
      const alice = await member(t);
      const dtstart = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
      const template = (
        await alice.api
          .post('/api/v1/templates')
          .send({ title: 'Twice', rrule: 'FREQ=DAILY;COUNT=2', dtstart: dtstart.toISOString() })
      ).body.data;
      expect(template.next_due).toBe(new Date(dtstart.getTime() + DAY).toISOString());
      const second = await alice.api.post(`/api/v1/templates/${template.id}/generate`);
      expect(second.status).toBe(201);
      await expect(
        t.dataSource.query('SELECT next_due FROM task_templates WHERE id = $1', [template.id]),
      ).resolves.toEqual([{ next_due: null }]);
      expectError(await alice.api.post(`/api/v1/templates/${template.id}/generate`), 409, 'TEMPLATE_EXHAUSTED');
      expect((await instancesOf(t, template.id)).map((row) => row.due_date.toISOString())).toEqual([
        dtstart.toISOString(),
        new Date(dtstart.getTime() + DAY).toISOString(),
      ]);
    });

    it('should generate the last occurrence once under concurrent calls and answer TEMPLATE_EXHAUSTED to the rest', async () => {
      const alice = await member(t);
      const dtstart = new Date(Math.ceil(Date.now() / 1000) * 1000 + 3_600_000);
      const template = (
        await alice.api
          .post('/api/v1/templates')
          .send({ title: 'Race', rrule: 'FREQ=DAILY;COUNT=2', dtstart: dtstart.toISOString() })
      ).body.data;
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => alice.api.post(`/api/v1/templates/${template.id}/generate`)),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      for (const response of responses.filter((candidate) => candidate.status === 409)) {
        expectError(response, 409, 'TEMPLATE_EXHAUSTED');
      }
      await expect(instancesOf(t, template.id)).resolves.toHaveLength(2);
    });

    it('should answer TEMPLATE_INACTIVE before TEMPLATE_EXHAUSTED, then LIMIT_EXCEEDED', async () => {
      const alice = await member(t);
      const once = (await alice.api.post('/api/v1/templates').send({ title: 'Once', rrule: 'FREQ=DAILY;COUNT=1' })).body
        .data;
      // COUNT=1 from dtstart = now: the only occurrence is not after now.
      expect(once).toMatchObject({ next_due: null, first_instance: null });
      expectError(await alice.api.post(`/api/v1/templates/${once.id}/generate`), 409, 'TEMPLATE_EXHAUSTED');
      await alice.api.patch(`/api/v1/templates/${once.id}`).send({ active: false });
      expectError(await alice.api.post(`/api/v1/templates/${once.id}/generate`), 409, 'TEMPLATE_INACTIVE');

      const daily = (await alice.api.post('/api/v1/templates').send({ title: 'Daily', rrule: 'FREQ=DAILY' })).body.data;
      await insertTasks(t, alice.id, 49);
      expect(
        expectError(await alice.api.post(`/api/v1/templates/${daily.id}/generate`), 409, 'LIMIT_EXCEEDED'),
      ).toMatchObject({ limit: 50, current: 50 });
    });
  });

  describe('PATCH /templates/{id}', () => {
    it('should change fields for future instances only by default', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Old', rrule: 'FREQ=DAILY' })).body
        .data;
      const response = await alice.api
        .patch(`/api/v1/templates/${template.id}`)
        .send({ title: 'New', priority: 'low' });
      expect(response.status).toBe(200);
      expect(Object.keys(response.body.data).sort()).toEqual(TEMPLATE_KEYS);
      expect(response.body.data).toMatchObject({ title: 'New', priority: 'low', next_due: template.next_due });
      await expect(taskRow(t, template.first_instance.id)).resolves.toMatchObject({ title: 'Old', version: 1 });
      const generated = await alice.api.post(`/api/v1/templates/${template.id}/generate`);
      expect(generated.body.data.task).toMatchObject({ title: 'New', priority: 'low' });
      expect((await activity(t, alice.id, template.id)).map((entry) => [entry.action, entry.metadata])).toEqual([
        ['template_created', {}],
        ['template_updated', { changed_fields: ['title', 'priority'] }],
      ]);
    });

    it('should propagate to incomplete, non-archived instances (hidden included) with apply_to_future_only=false', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Old', rrule: 'FREQ=DAILY' })).body
        .data;
      const ids = [template.first_instance.id];
      for (let i = 0; i < 3; i++)
        ids.push((await alice.api.post(`/api/v1/templates/${template.id}/generate`)).body.data.instance_id);
      const [open, hidden, completed, archived] = ids;
      await alice.api.patch(`/api/v1/tasks/${hidden}`).send({ hidden: true });
      await alice.api.patch(`/api/v1/tasks/${completed}`).send({ completed: true });
      await alice.api.patch(`/api/v1/tasks/${archived}`).send({ archived: true });
      await alice.api
        .patch(`/api/v1/templates/${template.id}`)
        .send({ title: 'New', description: 'Shared', apply_to_future_only: false });
      await expect(taskRow(t, open)).resolves.toMatchObject({ title: 'New', description: 'Shared', version: 2 });
      await expect(taskRow(t, hidden)).resolves.toMatchObject({ title: 'New', version: 3 });
      await expect(taskRow(t, completed)).resolves.toMatchObject({ title: 'Old', version: 2 });
      await expect(taskRow(t, archived)).resolves.toMatchObject({ title: 'Old', version: 2 });
      expect((await activity(t, alice.id, open)).map((entry) => [entry.action, entry.metadata])).toContainEqual([
        'task_updated',
        { changed_fields: ['title', 'description'] },
      ]);
    });

    it('should recompute next_due after the latest instance when the rule changes', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Rule', rrule: 'FREQ=DAILY' })).body
        .data;
      const farDue = new Date(Date.now() + 10 * DAY);
      await t.dataSource.query(`UPDATE task_instances SET due_date = $2 WHERE id = $1`, [
        template.first_instance.id,
        farDue,
      ]);
      const response = await alice.api.patch(`/api/v1/templates/${template.id}`).send({ rrule: 'FREQ=WEEKLY' });
      const dtstart = new Date(template.dtstart);
      const expected = firstMatchAfter(dtstart, farDue, (day) => day.getUTCDay() === dtstart.getUTCDay());
      expect(response.body.data).toMatchObject({
        rrule: 'FREQ=WEEKLY',
        rrule_description: 'Every week',
        next_due: expected.toISOString(),
      });
      await expect(taskRow(t, template.first_instance.id)).resolves.toMatchObject({ due_date: farDue });
    });

    it('should deactivate (next_due null) and re-activate through the recurring job, exempt from limits', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Toggle', rrule: 'FREQ=DAILY' })).body
        .data;
      const off = await alice.api
        .patch(`/api/v1/templates/${template.id}`)
        .send({ active: false, rrule: 'FREQ=WEEKLY' });
      expect(off.body.data).toMatchObject({ active: false, next_due: null });
      const listed = await alice.api.get('/api/v1/templates');
      expect(listed.body.data.map((item: { id: string }) => item.id)).not.toContain(template.id);
      expect(
        (await alice.api.get('/api/v1/templates?include_inactive=true')).body.data.map(
          (item: { id: string }) => item.id,
        ),
      ).toContain(template.id);

      const withOpenInstance = await alice.api.patch(`/api/v1/templates/${template.id}`).send({ active: true });
      expect(withOpenInstance.body.data.active).toBe(true);
      expect(withOpenInstance.body.data.next_due).not.toBeNull();
      await expect(instancesOf(t, template.id)).resolves.toHaveLength(1);

      await alice.api.patch(`/api/v1/templates/${template.id}`).send({ active: false });
      await alice.api.patch(`/api/v1/tasks/${template.first_instance.id}`).send({ completed: true });
      await insertTasks(t, alice.id, 50);
      const reactivated = await alice.api.patch(`/api/v1/templates/${template.id}`).send({ active: true });
      expect(reactivated.status).toBe(200);
      const instances = await instancesOf(t, template.id);
      expect(instances).toHaveLength(2);
      expect(instances[1]).toMatchObject({
        generated_from_task_id: null,
        due_date: new Date(reactivated.body.data.next_due),
      });
      const same = await alice.api.patch(`/api/v1/templates/${template.id}`).send({ active: true });
      expect(same.body.data.updated_at).toBe(
        (await alice.api.get(`/api/v1/templates/${template.id}`)).body.data.updated_at,
      );
      await expect(instancesOf(t, template.id)).resolves.toHaveLength(2);
    });

    it('should validate the body', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'V', rrule: 'FREQ=DAILY' })).body.data;
      for (const body of [
        { rrule: 'FREQ=SECONDLY' },
        { active: 'yes' },
        { title: null },
        { apply_to_future_only: 1 },
        { description: 'x'.repeat(1001) },
      ]) {
        expectError(await alice.api.patch(`/api/v1/templates/${template.id}`).send(body), 400, 'VALIDATION_ERROR');
      }
    });
  });

  describe('read and delete', () => {
    it("should list newest first with pagination and protect other users' templates", async () => {
      const alice = await member(t);
      const bob = await member(t);
      const older = (await alice.api.post('/api/v1/templates').send({ title: 'Older', rrule: 'FREQ=DAILY' })).body.data;
      const newer = (await alice.api.post('/api/v1/templates').send({ title: 'Newer', rrule: 'FREQ=DAILY' })).body.data;
      await bob.api.post('/api/v1/templates').send({ title: 'Bob', rrule: 'FREQ=DAILY' });
      const list = await alice.api.get('/api/v1/templates?limit=1');
      expect(list.body.pagination).toEqual({ offset: 0, limit: 1, total: 2, has_more: true });
      expect(list.body.data[0]).toMatchObject({ id: newer.id });
      expect(Object.keys(list.body.data[0]).sort()).toEqual(TEMPLATE_KEYS);
      const { first_instance: _first, ...olderTemplate } = older;
      await expect(alice.api.get(`/api/v1/templates/${older.id}`)).resolves.toMatchObject({
        status: 200,
        body: { data: olderTemplate },
      });
      expectError(await bob.api.get(`/api/v1/templates/${older.id}`), 403, 'FORBIDDEN');
      expectError(await bob.api.patch(`/api/v1/templates/${older.id}`).send({ title: 'x' }), 403, 'FORBIDDEN');
      expectError(await bob.api.post(`/api/v1/templates/${older.id}/generate`), 403, 'FORBIDDEN');
      expectError(await bob.api.delete(`/api/v1/templates/${older.id}`), 403, 'FORBIDDEN');
      for (const request of [
        bob.api.get(`/api/v1/templates/${randomUUID()}`),
        bob.api.patch(`/api/v1/templates/${randomUUID()}`).send({}),
        bob.api.post(`/api/v1/templates/${randomUUID()}/generate`),
        bob.api.delete(`/api/v1/templates/${randomUUID()}`),
      ]) {
        expectError(await request, 404, 'NOT_FOUND');
      }
      expectError(await bob.api.get('/api/v1/templates/abc'), 400, 'VALIDATION_ERROR');
      expectError(await bob.api.get('/api/v1/templates?include_inactive=maybe'), 400, 'VALIDATION_ERROR');
    });

    it('should delete the template and keep its instances as standalone tasks without touching them', async () => {
      const alice = await member(t);
      const template = (await alice.api.post('/api/v1/templates').send({ title: 'Gone', rrule: 'FREQ=DAILY' })).body
        .data;
      const before = await taskRow(t, template.first_instance.id);
      const response = await alice.api.delete(`/api/v1/templates/${template.id}`);
      expect(response.body).toEqual({ data: { id: template.id, deleted: true } });
      const after = await taskRow(t, template.first_instance.id);
      expect(after).toMatchObject({ template_id: null, version: before?.version, updated_at: before?.updated_at });
      expectError(await alice.api.get(`/api/v1/templates/${template.id}`), 404, 'NOT_FOUND');
      const standalone = await createTask(alice.api);
      expect(standalone.template_id).toBeNull();
    });
  });
});
