import { as, expectError, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { fetchFeed, issueFeed, todosOf } from './calendar-fixtures';

/** The feed's work is bounded (docs/recurrence-budget.md): budgeted expansion, template cap, 304 before rendering. */
describe('Calendar feed under adversarial templates', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '10000', PUBLIC_BASE_URL: 'https://api.example.test/' });
  });

  afterAll(() => t.close());

  it('should hand out feed URLs on PUBLIC_BASE_URL, not on the Host header', async () => {
    const { accessToken } = await loginAs(t);
    const res = await as(t, accessToken).post('/api/v1/calendar-feed').set('Host', 'evil.example');
    expect(res.status).toBe(201);
    const { token } = res.body.data;
    expect(res.body.data.url).toBe(`https://api.example.test/api/v1/calendar-feed/${token}.ics`);
    expect(res.body.data.webcal_url).toBe(`webcal://api.example.test/api/v1/calendar-feed/${token}.ics`);
  });

  it('should render a feed of a user at the template cap of worst rules fast, refuse one more, and answer 304 unrendered', async () => {
    const { accessToken, user } = await loginAs(t, { tier: 'pro' });
    const rule = 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=1000';
    for (let i = 0; i < 100; i++) {
      const res = await as(t, accessToken)
        .post('/api/v1/templates')
        .send({ title: `Leap Monday ${i}`, rrule: rule, dtstart: '2044-02-01T09:00:00Z' });
      expect(res.status).toBe(201);
    }
    const over = await as(t, accessToken)
      .post('/api/v1/templates')
      .send({ title: 'One too many', rrule: 'FREQ=DAILY' });
    expect(expectError(over, 409, 'LIMIT_EXCEEDED')).toMatchObject({ limit: 100, current: 100 });
    const [{ count }] = await t.dataSource.query(
      `SELECT count(*)::int AS count FROM task_templates WHERE user_id = $1`,
      [user.id],
    );
    expect(count).toBe(100);

    const feed = await issueFeed(t, accessToken);
    const started = Date.now();
    const first = await fetchFeed(t, feed.url);
    const renderMs = Date.now() - started;
    expect(first.status).toBe(200);
    const templates = [...todosOf(first.body as string).keys()].filter((uid) => uid.startsWith('template-'));
    expect(templates).toHaveLength(100);
    expect(first.body).toContain('RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;UNTIL=');
    expect(renderMs).toBeLessThan(1500);

    const conditional = Date.now();
    const cached = await fetchFeed(t, feed.url).set('If-None-Match', first.headers.etag);
    expect(cached.status).toBe(304);
    expect(cached.headers.etag).toBe(first.headers.etag);
    expect(cached.headers['last-modified']).toBe(first.headers['last-modified']);
    expect(Date.now() - conditional).toBeLessThan(renderMs);
  });

  it('should stop answering 304 as soon as a shown row changes', async () => {
    const { accessToken } = await loginAs(t);
    const created = await as(t, accessToken)
      .post('/api/v1/tasks')
      .send({ title: 'Due soon', due_date: new Date(Date.now() + 86_400_000).toISOString() });
    expect(created.status).toBe(201);
    const feed = await issueFeed(t, accessToken);
    const first = await fetchFeed(t, feed.url);
    expect((await fetchFeed(t, feed.url).set('If-None-Match', first.headers.etag)).status).toBe(304);

    const patched = await as(t, accessToken).patch(`/api/v1/tasks/${created.body.data.id}`).send({ title: 'Renamed' });
    expect(patched.status).toBe(200);
    const after = await fetchFeed(t, feed.url).set('If-None-Match', first.headers.etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(first.headers.etag);
    expect(after.body).toContain('SUMMARY:Renamed');
  });
});
