import { randomUUID } from 'node:crypto';
import type supertest from 'supertest';
import { changedTables, userData } from '../fuzz/user-data';
import { FakeDeepgram, startFakeDeepgram } from '../support/fake-deepgram';
import { FakeOpenAi, startFakeOpenAi } from '../support/fake-openai';
import { createTestApp, TestApp } from '../support/test-app';
import { Member, memberWithEverything, OwnedResources } from './resources';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Resource = Exclude<keyof OwnedResources, 'subtasks' | 'pushEndpoint' | 'calendarToken'> | 'subtask';

/** Where a row puts the id it probes (path parameter, body field or header) and what else it sends. */
interface Probe {
  path: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
}

interface OwnershipRow {
  method: Method;
  /** `METHOD /openapi/path` for path-parameter rows; `field in METHOD /path` for ids in bodies and headers. */
  route: string;
  resource: Resource;
  /** The request, given the probed id and the prober's own resources. */
  probe: (id: string, prober: Member) => Probe;
}

const soon = (): string => new Date(Date.now() + 86_400_000).toISOString();

/** `METHOD /path/{param}` with the id in its one path parameter and an optional valid body. */
function byPath(route: string, resource: Resource, body?: Record<string, unknown>): OwnershipRow {
  const [method, path] = route.split(' ') as [Method, string];
  return { method, route, resource, probe: (id) => ({ path: path.replace(/\{\w+\}/, encodeURIComponent(id)), body }) };
}

/** An id sent in a body field or header (`field in POST /path`) of a request otherwise valid for the prober. */
function byBody(route: string, resource: Resource, probe: OwnershipRow['probe']): OwnershipRow {
  const [, method] = /^\S+ in (\S+) /.exec(route) ?? [];
  return { method: method as Method, route, resource, probe };
}

/**
 * Every endpoint that takes an id, one line each (issue #8 matrix). The test below fails when
 * /docs-json lists a path parameter route that is not here or in EXEMPT.
 */
const MATRIX: OwnershipRow[] = [
  byPath('GET /api/v1/tasks/{id}', 'task'),
  byPath('PATCH /api/v1/tasks/{id}', 'task', { title: 'Taken over' }),
  byPath('PUT /api/v1/tasks/{id}', 'task', { title: 'Taken over' }),
  byPath('DELETE /api/v1/tasks/{id}', 'task'),
  byPath('POST /api/v1/tasks/{id}/force-complete', 'task', {}),
  byPath('POST /api/v1/tasks/recover/{tombstone_id}', 'tombstone'),
  byPath('GET /api/v1/tasks/{task_id}/subtasks', 'task'),
  byPath('POST /api/v1/tasks/{task_id}/subtasks', 'task', { title: 'Intruder' }),
  byPath('PUT /api/v1/tasks/{task_id}/subtasks/reorder', 'task', { subtask_ids: [randomUUID()] }),
  byPath('GET /api/v1/tasks/{task_id}/reminders', 'task'),
  byPath('POST /api/v1/tasks/{task_id}/reminders', 'task', { type: 'absolute', scheduled_at: soon() }),
  byPath('PATCH /api/v1/subtasks/{id}', 'subtask', { completed: true }),
  byPath('PUT /api/v1/subtasks/{id}', 'subtask', { completed: true }),
  byPath('DELETE /api/v1/subtasks/{id}', 'subtask'),
  byPath('GET /api/v1/templates/{id}', 'template'),
  byPath('PATCH /api/v1/templates/{id}', 'template', { title: 'Taken over' }),
  byPath('DELETE /api/v1/templates/{id}', 'template'),
  byPath('POST /api/v1/templates/{id}/generate', 'template'),
  byPath('DELETE /api/v1/access-tokens/{id}', 'accessToken'),
  byPath('GET /api/v1/notes/{id}', 'note'),
  byPath('PATCH /api/v1/notes/{id}', 'note', { content: 'Taken over' }),
  byPath('PUT /api/v1/notes/{id}', 'note', { content: 'Taken over' }),
  byPath('DELETE /api/v1/notes/{id}', 'note'),
  byPath('POST /api/v1/notes/{id}/convert', 'note'),
  byPath('GET /api/v1/reminders/{id}', 'reminder'),
  byPath('PATCH /api/v1/reminders/{id}', 'reminder', { method: 'push' }),
  byPath('DELETE /api/v1/reminders/{id}', 'reminder'),
  byPath('GET /api/v1/ai/voice-sessions/{id}', 'voiceSession'),
  byPath('PATCH /api/v1/notifications/{id}/read', 'notification'),
  byPath('PATCH /api/v1/notifications/{id}', 'notification', { read: true }),
  byPath('DELETE /api/v1/notifications/{id}', 'notification'),
  byPath('GET /api/v1/users/me/export/{id}', 'dataExport'),
  byPath('GET /api/v1/users/me/export/{id}/download', 'dataExport'),
  byBody('task_id in POST /api/v1/reminders', 'task', (id) => ({
    path: '/api/v1/reminders',
    body: { task_id: id, type: 'absolute', scheduled_at: soon() },
  })),
  byBody('subtask_ids in PUT /api/v1/tasks/{task_id}/subtasks/reorder', 'subtask', (id, prober) => ({
    path: `/api/v1/tasks/${prober.owned.task}/subtasks/reorder`,
    body: { subtask_ids: [...prober.owned.subtasks, id] },
  })),
  byBody('task_id in POST /api/v1/focus/start', 'task', (id) => ({
    path: '/api/v1/focus/start',
    body: { task_id: id },
  })),
  byBody('task_id in POST /api/v1/focus/end', 'task', (id) => ({ path: '/api/v1/focus/end', body: { task_id: id } })),
  byBody('session_id in POST /api/v1/focus/end', 'focusSession', (id) => ({
    path: '/api/v1/focus/end',
    body: { session_id: id },
  })),
  byBody('task_id in POST /api/v1/ai/chat', 'task', (id) => ({
    path: '/api/v1/ai/chat',
    body: { message: 'hi', task_id: id },
  })),
  byBody('X-Task-Id in POST /api/v1/ai/chat', 'task', (id) => ({
    path: '/api/v1/ai/chat',
    body: { message: 'hi' },
    headers: { 'X-Task-Id': id },
  })),
  byBody('task_id in POST /api/v1/ai/chat/stream', 'task', (id) => ({
    path: '/api/v1/ai/chat/stream',
    body: { message: 'hi', task_id: id },
  })),
  byBody('task_id in POST /api/v1/ai/generate-subtasks', 'task', (id) => ({
    path: '/api/v1/ai/generate-subtasks',
    body: { task_id: id },
  })),
  byBody('note_id in POST /api/v1/ai/transcribe', 'note', (id) => ({
    path: '/api/v1/ai/transcribe',
    body: { audio_url: 'https://cdn.example.com/a.webm', duration_seconds: 10, note_id: id },
  })),
  ...(['update_task', 'complete_task', 'create_subtasks'] as const).map((action) =>
    byBody(`task_id in POST /api/v1/ai/confirm-action ${action}`, 'task', (id) => ({
      path: '/api/v1/ai/confirm-action',
      body: { action_type: action, action_data: { task_id: id, title: 'Taken over', subtasks: [{ title: 'x' }] } },
    })),
  ),
  byBody('note_id in POST /api/v1/ai/confirm-action convert_note', 'note', (id) => ({
    path: '/api/v1/ai/confirm-action',
    body: { action_type: 'convert_note', action_data: { note_id: id, task: { title: 'Taken over' } } },
  })),
];

/** Path parameters that are not resource ids, and how they are covered instead. */
const EXEMPT: Record<string, string> = {
  'GET /api/v1/calendar-feed/{token}.ics':
    'the token is the credential, not an id: anyone holding it may read the feed; unknown, malformed and revoked tokens are 404 (below)',
};

describe('ownership matrix (docs/api.md §1.4, docs/README.md §2 invariant 7)', () => {
  let t: TestApp;
  let openAi: FakeOpenAi;
  let deepgram: FakeDeepgram;
  let alice: Member;
  let bob: Member;

  beforeAll(async () => {
    [openAi, deepgram] = await Promise.all([startFakeOpenAi(), startFakeDeepgram()]);
    t = await createTestApp({
      OPENAI_API_KEY: 'sk-matrix',
      OPENAI_BASE_URL: openAi.url,
      DEEPGRAM_API_KEY: deepgram.apiKey,
      DEEPGRAM_URL: deepgram.url,
      RATE_LIMIT_GENERAL: '100000',
      RATE_LIMIT_AI: '100000',
    });
    [alice, bob] = [await memberWithEverything(t), await memberWithEverything(t)];
  });

  afterAll(async () => {
    await t?.close();
    await Promise.all([openAi?.close(), deepgram?.close()]);
  });

  function idOf(member: Member, resource: Resource): string {
    return resource === 'subtask' ? member.owned.subtasks[0] : member.owned[resource];
  }

  function send(prober: Member, row: OwnershipRow, id: string): supertest.Test {
    const { path, body, headers } = row.probe(id, prober);
    const request = prober.api[row.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    for (const [name, value] of Object.entries(headers ?? {})) request.set(name, value);
    return body === undefined ? request : request.send(body);
  }

  it('should cover every route with a path parameter that /docs-json lists', async () => {
    const document = (await t.http.get('/docs-json')).body as { paths: Record<string, Record<string, unknown>> };
    const withParameter = Object.entries(document.paths)
      .filter(([path]) => /\{\w+\}/.test(path))
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map((method) => `${method.toUpperCase()} ${path}`),
      );
    const covered = new Set([...MATRIX.map((row) => row.route), ...Object.keys(EXEMPT)]);
    expect(withParameter.filter((route) => !covered.has(route))).toEqual([]);
  });

  describe.each(MATRIX.map((row) => [row.route, row] as const))('%s', (_route, row) => {
    it("should answer 403 for the other user's id, 404 for an unknown one and 400 for a malformed one, changing nothing", async () => {
      const before = await userData(t.dataSource, [alice.id]);
      const foreign = await send(bob, row, idOf(alice, row.resource));
      const unknown = await send(bob, row, randomUUID());
      const malformed = await send(bob, row, 'not-a-uuid');
      const after = await userData(t.dataSource, [alice.id]);

      expect([foreign.status, foreign.body?.error?.code]).toEqual([403, 'FORBIDDEN']);
      expect([unknown.status, unknown.body?.error?.code]).toEqual([404, 'NOT_FOUND']);
      expect([malformed.status, malformed.body?.error?.code]).toEqual([400, 'VALIDATION_ERROR']);
      for (const response of [foreign, unknown, malformed]) expect(response.text).not.toContain(alice.marker);
      expect(changedTables(before, after)).toEqual([]);
    });
  });

  it("should answer 404 for another user's push endpoint and keep it registered", async () => {
    const before = await userData(t.dataSource, [alice.id]);
    const response = await bob.api.delete(
      `/api/v1/notifications/push-subscription?endpoint=${encodeURIComponent(alice.owned.pushEndpoint)}`,
    );
    expect([response.status, response.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    expect(changedTables(before, await userData(t.dataSource, [alice.id]))).toEqual([]);
  });

  it('should serve the calendar feed only for a current token (the token is the credential)', async () => {
    const feed = (token: string): supertest.Test => t.http.get(`/api/v1/calendar-feed/${token}.ics`);
    expect((await feed(alice.owned.calendarToken)).status).toBe(200);
    for (const token of ['not-a-token', 'A'.repeat(43), `${alice.owned.calendarToken.slice(0, -1)}x`]) {
      const response = await feed(token);
      expect([response.status, response.body.error?.code]).toEqual([404, 'NOT_FOUND']);
    }
    const bobs = await feed(bob.owned.calendarToken);
    expect(bobs.text).not.toContain(alice.marker);
  });

  describe('lists', () => {
    const NONE = 'SELECT count(*) FROM users WHERE id = $1 AND false';
    /** Every list and collection: the caller's rows only, counts from the database, filters naming Alice's ids. */
    const LISTS: Array<{ path: string; total?: string; unread?: string }> = [
      { path: '/api/v1/tasks?hidden=true&limit=100', total: 'SELECT count(*) FROM task_instances WHERE user_id = $1' },
      { path: '/api/v1/tasks?template_id={alice.template}', total: NONE },
      {
        path: '/api/v1/templates?include_inactive=true',
        total: 'SELECT count(*) FROM task_templates WHERE user_id = $1',
      },
      { path: '/api/v1/notes?archived=true', total: 'SELECT count(*) FROM notes WHERE user_id = $1' },
      { path: '/api/v1/reminders', total: 'SELECT count(*) FROM reminders WHERE user_id = $1' },
      { path: '/api/v1/reminders?task_id={alice.task}', total: NONE },
      {
        path: '/api/v1/notifications',
        total: 'SELECT count(*) FROM notifications WHERE user_id = $1',
        unread: 'SELECT count(*) FROM notifications WHERE user_id = $1 AND NOT read',
      },
      {
        path: '/api/v1/activity?limit=100',
        total: "SELECT count(*) FROM activity_logs WHERE user_id = $1 AND created_at > now() - interval '30 days'",
      },
      { path: '/api/v1/activity?entity_id={alice.task}', total: NONE },
      {
        path: '/api/v1/credits/history?limit=100',
        total: "SELECT count(*) FROM ai_credit_ledger WHERE user_id = $1 AND status = 'committed'",
      },
      { path: '/api/v1/tombstones' },
      { path: '/api/v1/recovery/tombstones' },
      { path: '/api/v1/tasks/{bob.task}/subtasks' },
      { path: '/api/v1/tasks/{bob.task}/reminders' },
      { path: '/api/v1/focus/active' },
      { path: '/api/v1/sync?limit=500' },
      { path: '/api/v1/credits/balance' },
      { path: '/api/v1/ai/credits' },
      { path: '/api/v1/achievements/me' },
      { path: '/api/v1/subscription' },
      { path: '/api/v1/users/me' },
    ];

    it.each(LISTS.map((list) => [list.path, list] as const))(
      "GET %s should hold only the caller's rows",
      async (_path, list) => {
        const path = list.path.replace(/\{(alice|bob)\.(\w+)\}/g, (_match, who: string, resource: string) =>
          String((who === 'alice' ? alice : bob).owned[resource as keyof OwnedResources]),
        );
        const response = await bob.api.get(path);
        expect(response.status).toBe(200);
        const aliceIds = [alice.id, ...Object.values(alice.owned).flat()];
        for (const id of aliceIds.filter((id) => !path.includes(id))) expect(response.text).not.toContain(id);
        expect(response.text).not.toContain(alice.marker);
        if (list.total) {
          const [{ count }] = await t.dataSource.query(`SELECT (${list.total})::int AS count`, [bob.id]);
          expect(response.body.pagination.total).toBe(count);
        }
        if (list.unread) {
          const [{ count }] = await t.dataSource.query(`SELECT (${list.unread})::int AS count`, [bob.id]);
          expect(response.body.unread_count).toBe(count);
        }
      },
    );
  });
});
