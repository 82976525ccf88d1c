import { RecurringJobs } from '@app/tasks/templates/recurring.jobs';
import type { TestApp } from '../support/test-app';
import { createTestWorker, TestWorker } from '../support/test-worker';
import { activity, createTasksTestApp, member } from '../tasks/task-fixtures';

const DAY = 86_400_000;

async function dailyTemplate(
  t: TestApp,
  api: Awaited<ReturnType<typeof member>>['api'],
  rrule = 'FREQ=DAILY',
): Promise<Record<string, string> & { first_instance: Record<string, string> }> {
  const response = await api.post('/api/v1/templates').send({ title: 'Daily', rrule });
  return response.body.data;
}

/** Completes an instance in the database only, so that no job is enqueued by the API. */
async function completeQuietly(t: TestApp, taskId: string): Promise<void> {
  await t.dataSource.query(
    `UPDATE task_instances SET completed = true, completed_at = now(), completed_by = 'manual' WHERE id = $1`,
    [taskId],
  );
}

async function instanceCount(t: TestApp, templateId: string): Promise<number> {
  const [{ count }] = await t.dataSource.query(
    `SELECT count(*)::int AS count FROM task_instances WHERE template_id = $1`,
    [templateId],
  );
  return count;
}

describe('recurring_task_generate', () => {
  let t: TestApp;
  let worker: TestWorker;

  beforeAll(async () => {
    t = await createTasksTestApp();
    worker = await createTestWorker(t.databaseUrl);
  });

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('should generate the successor due at the first occurrence after the job clock, skipping missed ones', async () => {
    const alice = await member(t);
    const template = await dailyTemplate(t, alice.api);
    const first = template.first_instance;
    await completeQuietly(t, first.id);
    const now = new Date(Date.now() + 10 * DAY + 3600_000);
    const result = await worker.runJob('recurring_task_generate', now, {
      template_id: template.id,
      triggered_by_task_id: first.id,
    });
    expect(result).toEqual({ status: 'success', result: { generated: 1, skipped: 0, failed: 0 } });
    const [instance] = await t.dataSource.query(
      `SELECT due_date, generated_from_task_id, created_at FROM task_instances WHERE template_id = $1 AND generated_from_task_id IS NOT NULL`,
      [template.id],
    );
    const dtstart = new Date(template.dtstart).getTime();
    const expected = new Date(dtstart + Math.ceil((now.getTime() - dtstart) / DAY) * DAY);
    expect(instance).toEqual({ due_date: expected, generated_from_task_id: first.id, created_at: now });
    const [stored] = await t.dataSource.query(`SELECT next_due, last_generated_at FROM task_templates WHERE id = $1`, [
      template.id,
    ]);
    expect(stored).toEqual({ next_due: new Date(expected.getTime() + DAY), last_generated_at: now });

    const again = await worker.runJob('recurring_task_generate', now, {
      template_id: template.id,
      triggered_by_task_id: first.id,
    });
    expect(again).toEqual({ status: 'skipped', result: { generated: 0, skipped: 1, failed: 0 } });
    await expect(instanceCount(t, template.id)).resolves.toBe(2);
  });

  it('should skip deleted, inactive and exhausted templates, and re-activation jobs with an open instance', async () => {
    const alice = await member(t);
    const skipped = { status: 'skipped', result: { generated: 0, skipped: 1, failed: 0 } };
    const inactive = await dailyTemplate(t, alice.api);
    await alice.api.patch(`/api/v1/templates/${inactive.id}`).send({ active: false });
    await expect(
      worker.runJob('recurring_task_generate', new Date(), { template_id: inactive.id, triggered_by_task_id: null }),
    ).resolves.toEqual(skipped);

    const open = await dailyTemplate(t, alice.api);
    await expect(
      worker.runJob('recurring_task_generate', new Date(), { template_id: open.id, triggered_by_task_id: null }),
    ).resolves.toEqual(skipped);

    const exhausted = await dailyTemplate(t, alice.api, 'FREQ=DAILY;COUNT=2');
    await completeQuietly(t, exhausted.first_instance.id);
    const later = new Date(Date.now() + 5 * DAY);
    await expect(
      worker.runJob('recurring_task_generate', later, {
        template_id: exhausted.id,
        triggered_by_task_id: exhausted.first_instance.id,
      }),
    ).resolves.toEqual(skipped);

    const deleted = await dailyTemplate(t, alice.api);
    await alice.api.delete(`/api/v1/templates/${deleted.id}`);
    await expect(
      worker.runJob('recurring_task_generate', new Date(), {
        template_id: deleted.id,
        triggered_by_task_id: deleted.first_instance.id,
      }),
    ).resolves.toEqual(skipped);
  });

  it('should report the final failed attempt as recurring.generation_failed with a system notification', async () => {
    const alice = await member(t);
    const template = await dailyTemplate(t, alice.api);
    await completeQuietly(t, template.first_instance.id);
    await t.dataSource.query(`UPDATE task_templates SET rrule = 'FREQ=BROKEN' WHERE id = $1`, [template.id]);
    const jobs = worker.context.get(RecurringJobs);
    const data = { template_id: template.id, triggered_by_task_id: template.first_instance.id };
    await expect(jobs.generate({ now: new Date(), data: { ...data }, jobId: null, attempt: 1 })).rejects.toThrow();
    expect((await activity(t, alice.id)).filter((entry) => entry.action === 'recurring_generation_failed')).toEqual([]);

    await expect(jobs.generate({ now: new Date(), data: { ...data }, jobId: null, attempt: 4 })).rejects.toThrow();
    const failures = (await activity(t, alice.id)).filter((entry) => entry.action === 'recurring_generation_failed');
    expect(failures).toEqual([
      {
        entity_type: 'task',
        entity_id: template.first_instance.id,
        action: 'recurring_generation_failed',
        source: 'system',
        metadata: {
          template_id: template.id,
          triggered_by_task_id: template.first_instance.id,
          error: expect.any(String),
        },
      },
    ]);
    const notifications = await t.dataSource.query(`SELECT type, body FROM notifications WHERE user_id = $1`, [
      alice.id,
    ]);
    expect(notifications).toEqual([{ type: 'system', body: expect.stringContaining("'Daily'") }]);
    await expect(instanceCount(t, template.id)).resolves.toBe(1);
  });

  it('should leave a failed inline attempt to the runner without undoing the completion', async () => {
    const alice = await member(t);
    const template = await dailyTemplate(t, alice.api);
    await t.dataSource.query(`UPDATE task_templates SET rrule = 'FREQ=BROKEN' WHERE id = $1`, [template.id]);
    const done = await alice.api.patch(`/api/v1/tasks/${template.first_instance.id}`).send({ completed: true });
    expect(done.status).toBe(200);
    expect(done.body.data.completed).toBe(true);
    const [job] = await t.dataSource.query(
      `SELECT state, retry_count, start_after > now() + interval '30 seconds' AS backed_off FROM pgboss.job
       WHERE name = 'recurring_task_generate' AND data->>'triggered_by_task_id' = $1`,
      [template.first_instance.id],
    );
    expect(job).toEqual({ state: 'retry', retry_count: 0, backed_off: true });

    await t.dataSource.query(`UPDATE task_templates SET rrule = 'FREQ=DAILY' WHERE id = $1`, [template.id]);
    await expect(
      worker.runJob('recurring_task_generate', new Date(), {
        template_id: template.id,
        triggered_by_task_id: template.first_instance.id,
      }),
    ).resolves.toMatchObject({ status: 'success' });
    await expect(instanceCount(t, template.id)).resolves.toBe(2);
  });
});
