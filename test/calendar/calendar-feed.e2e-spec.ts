import { createHash } from 'node:crypto';
import ICAL from 'ical.js';
import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { fetchFeed, issueFeed, todosOf } from './calendar-fixtures';

const DAY_MS = 86_400_000;

describe('Calendar feed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000' });
  });

  afterAll(() => t.close());

  async function createTask(token: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await as(t, token).post('/api/v1/tasks').send(body);
    expect(res.status).toBe(201);
    return res.body.data;
  }

  describe('POST /api/v1/calendar-feed', () => {
    it('should issue a 256-bit token once and store only its hash', async () => {
      const { accessToken, user } = await loginAs(t);
      const res = await as(t, accessToken).post('/api/v1/calendar-feed');

      expect(res.status).toBe(201);
      const { token } = res.body.data;
      expect(res.body).toEqual({
        data: {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          url: `${t.baseUrl}/api/v1/calendar-feed/${token}.ics`,
          webcal_url: `${t.baseUrl.replace('http:', 'webcal:')}/api/v1/calendar-feed/${token}.ics`,
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        },
      });
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      const rows = await t.dataSource.query(`SELECT token_hash FROM calendar_feeds WHERE user_id = $1`, [user.id]);
      expect(rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);
    });

    it('should require authentication', async () => {
      expectError(await t.http.post('/api/v1/calendar-feed'), 401, 'UNAUTHORIZED');
    });
  });

  describe('GET /api/v1/calendar-feed/{token}.ics', () => {
    it("should serve the user's non-hidden tasks with a due date and active templates, valid for a real parser", async () => {
      const { accessToken, user } = await loginAs(t);
      const other = await loginAs(t);
      const due = new Date(Date.now() + 3 * DAY_MS);
      due.setUTCMilliseconds(0);
      const title = `Pay rent, utilities; "misc" \\ notes ${'ü'.repeat(50)}`;
      const main = await createTask(accessToken, {
        title,
        description: 'Line one\nLine two, with comma',
        priority: 'high',
        due_date: due.toISOString(),
      });
      const reminder = await as(t, accessToken)
        .post(`/api/v1/tasks/${main.id as string}/reminders`)
        .send({ type: 'before', offset_minutes: 45 });
      expect(reminder.status).toBe(201);
      const done = await createTask(accessToken, { title: 'Done', priority: 'low', due_date: due.toISOString() });
      expect(
        (
          await as(t, accessToken)
            .patch(`/api/v1/tasks/${done.id as string}`)
            .send({ completed: true })
        ).status,
      ).toBe(200);
      await createTask(accessToken, { title: 'No due date' });
      const hidden = await createTask(accessToken, { title: 'Hidden', due_date: due.toISOString() });
      await as(t, accessToken)
        .patch(`/api/v1/tasks/${hidden.id as string}`)
        .send({ hidden: true });
      await createTask(other.accessToken, { title: 'Not mine', due_date: due.toISOString() });
      const template = await as(t, accessToken)
        .post('/api/v1/templates')
        .send({ title: 'Weekly review', rrule: 'FREQ=WEEKLY;BYDAY=FR;COUNT=10', priority: 'medium' });
      expect(template.status).toBe(201);
      const instance = template.body.data.first_instance;
      const feed = await issueFeed(t, accessToken);

      const res = await fetchFeed(t, feed.url);

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
      expect(res.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect(new Date(res.headers['last-modified']).toUTCString()).toBe(res.headers['last-modified']);
      const body = res.body as string;
      expect(body.split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
      expect(body).toContain('\r\n ');

      const calendar = new ICAL.Component(ICAL.parse(body));
      expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe(`${user.name as string} — Perpetua Flow`);
      const todos = todosOf(body);
      expect([...todos.keys()].sort()).toEqual(
        [
          `${main.id as string}@perpetua-flow`,
          `${done.id as string}@perpetua-flow`,
          `${instance.id as string}@perpetua-flow`,
          `template-${template.body.data.id as string}@perpetua-flow`,
        ].sort(),
      );
      const todo = todos.get(`${main.id as string}@perpetua-flow`) as ICAL.Component;
      expect(todo.getFirstPropertyValue('summary')).toBe(title);
      expect(todo.getFirstPropertyValue('description')).toBe('Line one\nLine two, with comma');
      expect(todo.getFirstPropertyValue('priority')).toBe(1);
      expect(todo.getFirstPropertyValue('status')).toBe('NEEDS-ACTION');
      expect((todo.getFirstPropertyValue('due') as ICAL.Time).toJSDate()).toEqual(due);
      expect(todo.getFirstPropertyValue('dtstamp')).toBeTruthy();
      const [alarm] = todo.getAllSubcomponents('valarm');
      expect(String(alarm.getFirstPropertyValue('trigger'))).toBe('-PT45M');
      expect((alarm.getFirstProperty('trigger') as ICAL.Property).getParameter('related')).toBe('END');
      expect(alarm.getFirstPropertyValue('action')).toBe('DISPLAY');

      const completed = todos.get(`${done.id as string}@perpetua-flow`) as ICAL.Component;
      expect(completed.getFirstPropertyValue('status')).toBe('COMPLETED');
      expect(completed.getFirstPropertyValue('priority')).toBe(9);
      expect(completed.getFirstPropertyValue('completed')).toBeTruthy();

      const series = todos.get(`template-${template.body.data.id as string}@perpetua-flow`) as ICAL.Component;
      const rule = series.getFirstPropertyValue('rrule') as ICAL.Recur;
      expect(rule.freq).toBe('WEEKLY');
      expect(rule.count).toBeNull();
      expect(rule.until).not.toBeNull();
      const start = series.getFirstPropertyValue('dtstart') as ICAL.Time;
      expect(start.toJSDate()).toEqual(new Date(template.body.data.next_due));
      expect(start.toJSDate().getUTCDay()).toBe(5);
    });

    it('should answer 304 to If-None-Match or If-Modified-Since until the content changes', async () => {
      const { accessToken } = await loginAs(t);
      const task = await createTask(accessToken, {
        title: 'Poll me',
        due_date: new Date(Date.now() + DAY_MS).toISOString(),
      });
      const feed = await issueFeed(t, accessToken);
      const first = await fetchFeed(t, feed.url);
      const { etag, 'last-modified': lastModified } = first.headers;

      const byTag = await fetchFeed(t, feed.url).set('If-None-Match', etag);
      expect(byTag.status).toBe(304);
      expect(byTag.body).toBe('');
      expect(byTag.headers.etag).toBe(etag);
      expect((await fetchFeed(t, feed.url).set('If-None-Match', `W/${etag}`)).status).toBe(304);
      expect((await fetchFeed(t, feed.url).set('If-Modified-Since', lastModified)).status).toBe(304);
      expect((await fetchFeed(t, feed.url).set('If-None-Match', '"other"')).status).toBe(200);

      expect(
        (
          await as(t, accessToken)
            .patch(`/api/v1/tasks/${task.id as string}`)
            .send({ title: 'Renamed' })
        ).status,
      ).toBe(200);
      const changed = await fetchFeed(t, feed.url).set('If-None-Match', etag);
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(
        todosOf(changed.body as string)
          .get(`${task.id as string}@perpetua-flow`)
          ?.getFirstPropertyValue('summary'),
      ).toBe('Renamed');
      expect(new Date(changed.headers['last-modified']).getTime()).toBeGreaterThan(new Date(lastModified).getTime());
      expect((await fetchFeed(t, feed.url).set('If-Modified-Since', lastModified)).status).toBe(200);

      // A deletion changes the content too, and Last-Modified still moves forward.
      expect((await as(t, accessToken).delete(`/api/v1/tasks/${task.id as string}`)).status).toBe(200);
      const afterDelete = await fetchFeed(t, feed.url).set('If-Modified-Since', changed.headers['last-modified']);
      expect(afterDelete.status).toBe(200);
      expect(todosOf(afterDelete.body as string).size).toBe(0);
      expect(new Date(afterDelete.headers['last-modified']).getTime()).toBeGreaterThan(
        new Date(changed.headers['last-modified']).getTime(),
      );
    });

    it('should stop serving a rotated token at once and serve the new one', async () => {
      const { accessToken } = await loginAs(t);
      const first = await issueFeed(t, accessToken);
      const second = await issueFeed(t, accessToken);

      expect(second.id).toBe(first.id);
      expect(second.token).not.toBe(first.token);
      expectError(await fetchFeed(t, first.url), 404, 'NOT_FOUND');
      expect((await fetchFeed(t, second.url)).status).toBe(200);
    });

    it('should answer 404 for an unknown or malformed token', async () => {
      expectError(await t.http.get(`/api/v1/calendar-feed/${'A'.repeat(43)}.ics`), 404, 'NOT_FOUND');
      expectError(await t.http.get('/api/v1/calendar-feed/short.ics'), 404, 'NOT_FOUND');
    });

    it('should ignore any Authorization header (the token is the credential)', async () => {
      const { accessToken } = await loginAs(t);
      const feed = await issueFeed(t, accessToken);
      const res = await fetchFeed(t, feed.url).set('Authorization', 'Bearer not-a-jwt');
      expect(res.status).toBe(200);
    });
  });

  describe('DELETE /api/v1/calendar-feed', () => {
    it('should revoke the feed: its URL answers 404, a second revoke too', async () => {
      const { accessToken, user } = await loginAs(t);
      const feed = await issueFeed(t, accessToken);

      const res = await as(t, accessToken).delete('/api/v1/calendar-feed');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { id: feed.id, deleted: true } });
      expectError(await fetchFeed(t, feed.url), 404, 'NOT_FOUND');
      expect(await t.dataSource.query(`SELECT id FROM calendar_feeds WHERE user_id = $1`, [user.id])).toEqual([]);
      expectError(await as(t, accessToken).delete('/api/v1/calendar-feed'), 404, 'NOT_FOUND');
    });
  });
});
