import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { as, loginAs } from '@app/testing/factories';
import { createTestApp, TestApp } from '@app/testing/test-app';

const TOOLS = [
  'add_subtasks',
  'complete_task',
  'create_note',
  'create_task',
  'focus_stats',
  'get_task',
  'list_notes',
  'list_tasks',
  'search_tasks',
  'upcoming_reminders',
  'update_task',
];

interface Account {
  id: string;
  session: ReturnType<typeof as>;
  sessionToken: string;
}

describe('MCP endpoint (docs/mcp.md)', () => {
  let t: TestApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '100000' });
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await t.close();
  });

  async function account(): Promise<Account> {
    const login = await loginAs(t);
    return { id: login.user.id, session: as(t, login.accessToken), sessionToken: login.accessToken };
  }

  async function token(who: Account, scopes: string[]): Promise<string> {
    const response = await who.session.post('/api/v1/access-tokens').send({ name: 'Assistant', scopes });
    return response.body.data.token;
  }

  async function connect(bearer?: string): Promise<Client> {
    const client = new Client({ name: 'perpetua-e2e', version: '1.0.0' });
    const headers: Record<string, string> = bearer ? { Authorization: `Bearer ${bearer}` } : {};
    await client.connect(new StreamableHTTPClientTransport(new URL(`${t.baseUrl}/mcp`), { requestInit: { headers } }));
    clients.push(client);
    return client;
  }

  async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  }

  function data<T = Record<string, unknown>>(result: CallToolResult): T {
    expect(result.isError).toBeFalsy();
    return (result.structuredContent as { data: T }).data;
  }

  function errorOf(result: CallToolResult): Record<string, unknown> {
    expect(result.isError).toBe(true);
    const [content] = result.content;
    return JSON.parse(content.type === 'text' ? content.text : '{}').error;
  }

  async function activitySources(userId: string, entityId: string): Promise<Array<{ action: string; source: string }>> {
    return t.dataSource.query(
      `SELECT action, source FROM activity_logs WHERE user_id = $1 AND entity_id = $2 ORDER BY created_at, action`,
      [userId, entityId],
    );
  }

  it('should list its tools to a client holding a personal access token', async () => {
    const alice = await account();
    const client = await connect(await token(alice, ['read', 'write']));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
    const create = tools.find((tool) => tool.name === 'create_task');
    expect(Object.keys(create?.inputSchema.properties ?? {})).toEqual(
      expect.arrayContaining(['text', 'title', 'due_date', 'idempotency_key']),
    );
  });

  it('should create a task from quick-add text, list, search and complete it, logged with source mcp', async () => {
    const alice = await account();
    const client = await connect(await token(alice, ['read', 'write']));
    const created = data<{ task: { id: string; title: string; priority: string; due_date: string } }>(
      await call(client, 'create_task', { text: 'Call mom tomorrow 5pm !high' }),
    );
    expect(created.task).toMatchObject({ title: 'Call mom', priority: 'high', due_date: expect.any(String) });
    const taskId = created.task.id;

    const listed = await call(client, 'list_tasks');
    expect(listed.isError).toBeFalsy();
    expect((listed.structuredContent as { data: Array<{ id: string }> }).data.map((task) => task.id)).toEqual([taskId]);
    const other = data<{ id: string }>(await call(client, 'create_task', { title: 'Buy stamps' }));
    const found = await call(client, 'search_tasks', { query: 'MOM' });
    expect((found.structuredContent as { data: Array<{ id: string }> }).data.map((task) => task.id)).toEqual([taskId]);

    const completed = data(await call(client, 'complete_task', { task_id: taskId }));
    expect(completed).toMatchObject({ id: taskId, completed: true, unlocked_achievements: [] });
    const [row] = await t.dataSource.query(`SELECT completed, completed_by FROM task_instances WHERE id = $1`, [
      taskId,
    ]);
    expect(row).toEqual({ completed: true, completed_by: 'manual' });
    expect(await activitySources(alice.id, taskId)).toEqual([
      { action: 'task_created', source: 'mcp' },
      { action: 'task_completed', source: 'mcp' },
    ]);
    expect(await activitySources(alice.id, other.id)).toEqual([{ action: 'task_created', source: 'mcp' }]);

    const rest = await alice.session.get(`/api/v1/tasks/${taskId}`);
    expect(rest.body.data).toMatchObject({ id: taskId, completed: true });
  });

  it('should refuse a write tool to a read-only token and create nothing', async () => {
    const alice = await account();
    const client = await connect(await token(alice, ['read']));
    expect(errorOf(await call(client, 'create_task', { title: 'Not allowed' }))).toMatchObject({
      code: 'INSUFFICIENT_SCOPE',
      required_scope: 'write',
    });
    expect(data(await call(client, 'list_tasks'))).toEqual([]);
    const [count] = await t.dataSource.query(`SELECT count(*)::int AS n FROM task_instances WHERE user_id = $1`, [
      alice.id,
    ]);
    expect(count.n).toBe(0);
  });

  it('should answer 401 without a token or with a revoked one', async () => {
    await expect(connect()).rejects.toThrow(/"code":"UNAUTHORIZED","message":"Missing bearer token"/);
    const alice = await account();
    const secret = await token(alice, ['read']);
    const [{ id }] = (await alice.session.get('/api/v1/access-tokens')).body.data;
    await alice.session.delete(`/api/v1/access-tokens/${id}`);
    await expect(connect(secret)).rejects.toThrow(/This personal access token was revoked/);
  });

  it('should answer plain HTTP with the API envelope: 401, 405 for GET, 406 without the Accept types, 400 for a batch', async () => {
    const initialize = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };
    const anonymous = await t.http.post('/mcp').send(initialize);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect(anonymous.body.error.code).toBe('UNAUTHORIZED');
    const alice = await account();
    const secret = await token(alice, ['read']);
    const get = await t.http.get('/mcp').set('Authorization', `Bearer ${secret}`);
    expect(get.status).toBe(405);
    const plain = await t.http.post('/mcp').set('Authorization', `Bearer ${secret}`).send(initialize);
    expect({ status: plain.status, code: plain.body.error.code }).toEqual({ status: 406, code: 'NOT_ACCEPTABLE' });
    const batch = await t.http
      .post('/mcp')
      .set('Authorization', `Bearer ${secret}`)
      .set('Accept', 'application/json, text/event-stream')
      .send([initialize, initialize]);
    expect({ status: batch.status, code: batch.body.error.code }).toEqual({ status: 400, code: 'VALIDATION_ERROR' });
    const listed = await t.http
      .post('/mcp')
      .set('Authorization', `Bearer ${secret}`)
      .set('Accept', 'application/json, text/event-stream')
      .send(initialize);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ jsonrpc: '2.0', id: 1, result: { tools: expect.any(Array) } });
  });

  it('should accept a session access token too', async () => {
    const alice = await account();
    const client = await connect(alice.sessionToken);
    const created = data<{ id: string }>(await call(client, 'create_note', { content: 'From the assistant' }));
    expect(await activitySources(alice.id, created.id)).toEqual([{ action: 'note_created', source: 'mcp' }]);
  });

  it('should read a task with subtasks and reminders, keep ownership and validate like REST', async () => {
    const alice = await account();
    const bob = await account();
    const client = await connect(await token(alice, ['read', 'write']));
    const { task } = data<{ task: { id: string } }>(
      await call(client, 'create_task', { text: 'Plan the offsite tomorrow 9am remind me 30m before' }),
    );
    const subtasks = data<Array<{ title: string }>>(
      await call(client, 'add_subtasks', { task_id: task.id, titles: ['  Book venue ', 'Send invites'] }),
    );
    expect(subtasks.map((subtask) => subtask.title)).toEqual(['Book venue', 'Send invites']);
    const detail = data<{ subtasks: Array<{ title: string }>; reminders: unknown[] }>(
      await call(client, 'get_task', { task_id: task.id }),
    );
    expect(detail.subtasks.map((subtask) => subtask.title)).toEqual(['Book venue', 'Send invites']);
    expect(detail.reminders).toHaveLength(1);
    const upcoming = await call(client, 'upcoming_reminders');
    expect((upcoming.structuredContent as { data: Array<{ task_id: string }> }).data).toEqual([
      expect.objectContaining({ task_id: task.id }),
    ]);

    const bobs = (await bob.session.post('/api/v1/tasks').send({ title: 'Private' })).body.data;
    expect(errorOf(await call(client, 'get_task', { task_id: bobs.id }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(errorOf(await call(client, 'update_task', { task_id: bobs.id, title: 'Mine now' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(errorOf(await call(client, 'get_task', { task_id: randomUUID() }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(errorOf(await call(client, 'get_task', { task_id: 'nope' }))).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: [expect.objectContaining({ field: 'task_id' })],
    });
    expect(errorOf(await call(client, 'update_task', { task_id: task.id, title: '  ' }))).toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    const stale = await call(client, 'update_task', { task_id: task.id, title: 'Renamed', version: 99 });
    expect(errorOf(stale)).toMatchObject({ code: 'CONFLICT' });
    const renamed = data(await call(client, 'update_task', { task_id: task.id, title: 'Renamed' }));
    expect(renamed).toMatchObject({ id: task.id, title: 'Renamed', version: 2 });
  });

  it('should run a write with an idempotency_key once and replay its outcome', async () => {
    const alice = await account();
    const client = await connect(await token(alice, ['read', 'write']));
    const key = randomUUID();
    const first = data<{ id: string }>(await call(client, 'create_note', { content: 'Once', idempotency_key: key }));
    const again = data<{ id: string }>(await call(client, 'create_note', { content: 'Once', idempotency_key: key }));
    expect(again.id).toBe(first.id);
    const notes = data<Array<{ id: string }>>(await call(client, 'list_notes'));
    expect(notes.map((note) => note.id)).toEqual([first.id]);
    expect(errorOf(await call(client, 'create_note', { content: 'Other', idempotency_key: key }))).toMatchObject({
      code: 'IDEMPOTENCY_CONFLICT',
    });
  });

  it('should report focus statistics', async () => {
    const alice = await account();
    const client = await connect(await token(alice, ['read']));
    expect(data(await call(client, 'focus_stats'))).toEqual({
      active_session: null,
      stats: {
        lifetime_tasks_completed: 0,
        current_streak: 0,
        longest_streak: 0,
        focus_completions: 0,
        notes_converted: 0,
      },
    });
  });
});
