import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { EventStreams } from '@app/events/event-streams';
import { as, expectError, loginAs } from '@app/testing/factories';
import { createTestApp, TestApp } from '@app/testing/test-app';
import { SseClient, SseEvent } from './sse-client';

interface Change {
  type: string;
  id: string;
  deleted: boolean;
  data: Record<string, unknown> | null;
}

interface Account {
  id: string;
  onA: ReturnType<typeof as>;
  onB: ReturnType<typeof as>;
}

const changesOf = (event: SseEvent): Change[] => (JSON.parse(event.data) as { changes: Change[] }).changes;
const hasTask = (taskId: string) => (event: SseEvent) =>
  event.event === 'changes' && changesOf(event).some((change) => change.type === 'task' && change.id === taskId);

/** Two API instances on one database: writes go through A, streams are held on B (docs/events.md §3). */
describe('Live event stream (docs/events.md)', () => {
  let a: TestApp;
  let b: TestApp;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    const env = { RATE_LIMIT_GENERAL: '100000', EVENT_STREAM_HEARTBEAT_SECONDS: '1' };
    a = await createTestApp(env);
    b = await createTestApp(env, { databaseUrl: a.databaseUrl });
  });

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  afterAll(async () => {
    for (const app of [b, a]) {
      // As main.ts shuts down, the streams end first; fetch keeps the test's own connections open.
      app.app.get(EventStreams).closeAll();
      const server = app.app.getHttpServer() as Server;
      const closeAll = setInterval(() => server.closeAllConnections(), 50);
      await app.close();
      clearInterval(closeAll);
    }
  });

  async function account(): Promise<Account> {
    const login = await loginAs(a);
    return { id: login.user.id, onA: as(a, login.accessToken), onB: as(b, login.accessToken) };
  }

  async function ticket(api: ReturnType<typeof as>): Promise<string> {
    const response = await api.post('/api/v1/events/ticket');
    expect(response.status).toBe(201);
    return response.body.data.ticket;
  }

  async function open(who: Account, headers: Record<string, string> = {}, query = ''): Promise<SseClient> {
    const stream = await SseClient.open(`${b.baseUrl}/api/v1/events?ticket=${await ticket(who.onB)}${query}`, headers);
    streams.push(stream);
    return stream;
  }

  async function createTask(who: Account, title: string): Promise<string> {
    const response = await who.onA.post('/api/v1/tasks').send({ title });
    expect(response.status).toBe(201);
    return response.body.data.id;
  }

  it('should push a write made through instance A to a stream on instance B within 1 s', async () => {
    const alice = await account();
    const stream = await open(alice);
    expect(stream.status).toBe(200);
    const started = performance.now();
    const taskId = await createTask(alice, 'Pushed live');
    const event = await stream.next(hasTask(taskId), 1000);
    expect(event.at - started).toBeLessThan(1000);
    expect(changesOf(event)).toEqual([
      expect.objectContaining({
        type: 'task',
        id: taskId,
        deleted: false,
        data: expect.objectContaining({ title: 'Pushed live' }),
      }),
    ]);
    expect(event.id).toEqual(expect.any(String));
  });

  // Delivery latency over 1,000 changes is measured by `npm run bench:events`, not asserted here.
  it('should deliver 100 consecutive changes once each and in order', async () => {
    const alice = await account();
    const taskId = await createTask(alice, 'Change');
    const stream = await open(alice);
    for (let i = 0; i < 100; i++) {
      expect((await alice.onA.patch(`/api/v1/tasks/${taskId}`).send({ title: `Change ${i}` })).status).toBe(200);
      await stream.next(
        (candidate) =>
          candidate.event === 'changes' && changesOf(candidate).some((change) => change.data?.title === `Change ${i}`),
        5000,
      );
    }
    const titles = stream.events.flatMap(changesOf).map((change) => change.data?.title);
    expect(titles).toEqual(['Change', ...Array.from({ length: 100 }, (_, n) => `Change ${n}`)]);
  });

  it('should resume from Last-Event-ID with exactly the changes made while away', async () => {
    const alice = await account();
    const first = await open(alice);
    const before = await createTask(alice, 'Seen before');
    const seen = await first.next(hasTask(before));
    first.close();

    const missedA = await createTask(alice, 'Missed one');
    const missedB = await createTask(alice, 'Missed two');
    expect((await alice.onA.patch(`/api/v1/tasks/${missedA}`).send({ title: 'Missed one, renamed' })).status).toBe(200);

    const resumed = await open(alice, { 'Last-Event-ID': seen.id ?? '' });
    await resumed.until(() => resumed.events.flatMap(changesOf).some((change) => change.id === missedB));
    const marker = await createTask(alice, 'After the reconnect');
    await resumed.next(hasTask(marker));
    const received = resumed.events.flatMap(changesOf).map((change) => [change.id, change.data?.title]);
    // In the changes feed's order (docs/sync.md): the rename moved the first task after the second.
    expect(received).toEqual([
      [missedB, 'Missed two'],
      [missedA, 'Missed one, renamed'],
      [marker, 'After the reconnect'],
    ]);

    const byQuery = await open(alice, {}, `&last_event_id=${encodeURIComponent(seen.id ?? '')}`);
    await byQuery.until(() => byQuery.events.flatMap(changesOf).length >= 3);
    expect(byQuery.events.flatMap(changesOf).map((change) => change.id)).toEqual([missedB, missedA, marker]);
  });

  it('should send only the user’s own changes and their new notifications', async () => {
    const alice = await account();
    const bob = await account();
    const stream = await open(alice);
    const bobs = await createTask(bob, 'Not for Alice');
    const [notification] = await a.dataSource.query(
      `INSERT INTO notifications (user_id, type, title, body) VALUES ($1, 'system', 'Hello', 'From the system') RETURNING id`,
      [alice.id],
    );
    const pushed = await stream.next((event) => event.event === 'notification');
    expect(pushed.id).toBeUndefined();
    expect(JSON.parse(pushed.data)).toMatchObject({ id: notification.id, title: 'Hello', type: 'system' });
    const mine = await createTask(alice, 'For Alice');
    await stream.next(hasTask(mine));
    expect(
      stream.events.flatMap((event) => (event.event === 'changes' ? changesOf(event) : [])).map((c) => c.id),
    ).toEqual([mine]);
    expect(bobs).not.toBe(mine);
  });

  it('should send heartbeats on an idle stream', async () => {
    const alice = await account();
    const stream = await open(alice);
    await stream.until(() => stream.comments.includes('heartbeat'), 2500);
    expect(stream.comments).toContain('heartbeat');
  });

  it('should accept a ticket once, within its minute, and refuse bad positions without using it up', async () => {
    const alice = await account();
    const single = await ticket(alice.onB);
    const url = (value: string): string => `${b.baseUrl}/api/v1/events?ticket=${value}`;
    const bad = await SseClient.open(url(single), { 'Last-Event-ID': 'not-a-cursor' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [{ field: 'Last-Event-ID' }],
    });
    const opened = await SseClient.open(url(single));
    streams.push(opened);
    expect(opened.status).toBe(200);
    const reused = await SseClient.open(url(single));
    expect({ status: reused.status, code: JSON.parse(reused.body).error.code }).toEqual({
      status: 401,
      code: 'UNAUTHORIZED',
    });

    const stale = await ticket(alice.onB);
    await a.dataSource.query(`UPDATE event_stream_tickets SET expires_at = now() - interval '1 second'`);
    expect((await SseClient.open(url(stale))).status).toBe(401);
    expect((await SseClient.open(url(randomUUID().replace(/-/g, '').padEnd(43, 'x')))).status).toBe(401);
    expectError(await b.http.get('/api/v1/events'), 400, 'VALIDATION_ERROR');
    expectError(await b.http.post('/api/v1/events/ticket'), 401, 'UNAUTHORIZED');
  });

  it('should cap the open streams of a user at 5 per instance', async () => {
    const alice = await account();
    for (let i = 0; i < 5; i++) expect((await open(alice)).status).toBe(200);
    const sixth = await open(alice);
    expect({ status: sixth.status, code: JSON.parse(sixth.body).error.code }).toEqual({
      status: 429,
      code: 'STREAM_LIMIT_REACHED',
    });
    streams.splice(0).forEach((stream) => stream.close());
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 3000;
      const retry = (): void => {
        void open(alice).then((stream) => {
          if (stream.status === 200) resolve();
          else if (Date.now() > deadline) reject(new Error(`still ${stream.status}`));
          else setTimeout(retry, 20);
        }, reject);
      };
      retry();
    });
  });
});
