import type { Member } from '../ownership/resources';
import type { BodySpec, FieldSpec } from './fuzz-values';

/** The two users of a fuzz run: requests are made as `owner`; `other` holds the foreign ids. */
export interface FuzzWorld {
  owner: Member;
  other: Member;
  /** Valid Google ID tokens minted by the fake Google server. */
  googleTokens: string[];
}

type Ids = (world: FuzzWorld) => string[];

export interface WriteEndpoint {
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The OpenAPI path (`/api/v1/tasks/{id}`), also how /docs-json names it. */
  path: string;
  auth: 'bearer' | 'public' | 'webhook';
  /** Known ids for each path parameter (own and the other user's). */
  params?: Record<string, Ids>;
  /** Documented body fields; absent for endpoints that take an empty body (bodies are still fuzzed). */
  body?: (world: FuzzWorld) => BodySpec;
  query?: (world: FuzzWorld) => BodySpec;
  /** Sends the `X-Task-Id` header sometimes (AI chat). */
  taskHeader?: boolean;
  /** What the fake OpenAI answers while this endpoint is fuzzed. */
  aiContent?: string | object;
}

const both =
  (pick: (member: Member) => string | string[]): Ids =>
  ({ owner, other }) =>
    [owner, other].flatMap((member) => pick(member));

const taskIds = both((m) => [m.owned.task, m.owned.spareTask, m.owned.instance]);
const subtaskIds = both((m) => m.owned.subtasks);
const noteIds = both((m) => m.owned.note);
const reminderIds = both((m) => m.owned.reminder);
const templateIds = both((m) => m.owned.template);
const notificationIds = both((m) => m.owned.notification);
const tombstoneIds = both((m) => m.owned.tombstone);
const sessionIds = both((m) => m.owned.focusSession);
const accessTokenIds = both((m) => m.owned.accessToken);

const text = (max: number): FieldSpec => ({ kind: 'text', max });
const int = (min: number, max: number): FieldSpec => ({ kind: 'int', min, max });
const bool: FieldSpec = { kind: 'bool' };
const timestamp: FieldSpec = { kind: 'timestamp' };
const url: FieldSpec = { kind: 'url' };
const uuid = (ids: Ids, world: FuzzWorld): FieldSpec => ({ kind: 'uuid', ids: () => ids(world) });
const priority: FieldSpec = { kind: 'enum', values: ['low', 'medium', 'high'] };
const RRULES = [
  'FREQ=DAILY',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,WE',
  'FREQ=MONTHLY;BYMONTHDAY=31',
  'FREQ=MONTHLY;COUNT=2',
  'FREQ=YEARLY;UNTIL=20200101T000000Z',
  'FREQ=SECONDLY',
  'FREQ=MINUTELY;INTERVAL=1',
  'FREQ=DAILY;INTERVAL=0',
  'FREQ=DAILY;BYHOUR=25',
  'FREQ=WEEKLY;BYDAY=XX',
  'FREQ=DAILY;COUNT=-1',
  'FREQ=DAILY;UNTIL=garbage',
  'RRULE:',
  'FREQ=HOURLY;BYSETPOS=400',
  'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
  'DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY',
  'FREQ=DAILY;' + 'BYHOUR=1;'.repeat(60),
];
const rrule: FieldSpec = { kind: 'constant', values: RRULES };

const taskFields: BodySpec = {
  title: text(200),
  description: text(2000),
  priority,
  due_date: timestamp,
  estimated_duration: int(1, 720),
};
const taskPatch: BodySpec = {
  version: int(1, 4),
  ...taskFields,
  completed: bool,
  hidden: bool,
  archived: bool,
};
const reminderFields: BodySpec = {
  type: { kind: 'enum', values: ['before', 'after', 'absolute'] },
  offset_minutes: int(-43_200, 43_200),
  scheduled_at: timestamp,
  method: { kind: 'enum', values: ['push', 'in_app'] },
};
const templateFields: BodySpec = {
  title: text(200),
  description: text(2000),
  priority,
  estimated_duration: int(1, 720),
  rrule,
  dtstart: timestamp,
};
const chatBody = (w: FuzzWorld): BodySpec => ({
  message: text(2000),
  task_id: uuid(taskIds, w),
  context: { kind: 'object', fields: { include_tasks: bool, task_limit: int(1, 50) } },
  history: {
    kind: 'array',
    max: 20,
    item: { kind: 'object', fields: { role: { kind: 'enum', values: ['user', 'assistant'] }, content: text(2000) } },
  },
});
const redirectUrls: BodySpec = { success_url: url, cancel_url: url };

/** Structured content every AI feature can use, so valid inputs also succeed. */
const quickAdd: BodySpec = { text: text(500) };
const mcpMessage: BodySpec = {
  jsonrpc: { kind: 'constant', values: ['2.0', '1.0'] },
  id: int(0, 1000),
  method: { kind: 'constant', values: ['initialize', 'tools/list', 'tools/call', 'ping', 'no/such'] },
  params: {
    kind: 'constant',
    values: [
      {},
      { name: 'create_task', arguments: { title: 'From the fuzzer' } },
      { name: 'get_task', arguments: { task_id: 'nope' } },
      { name: 'no_such_tool', arguments: {} },
    ],
  },
};
const accessToken: BodySpec = {
  name: text(100),
  scopes: { kind: 'array', item: { kind: 'enum', values: ['read', 'write', 'ai'] }, max: 4 },
  expires_at: timestamp,
};
const AI_SUBTASKS = { subtasks: [{ title: 'Fuzzed step' }, { title: '<b>two</b>' }] };
const AI_CONVERSION = {
  task: { title: 'From note', description: 'd', priority: 'high', subtasks: [{ title: 'a' }] },
  note_understanding: 'x',
  confidence: 0.5,
};

/**
 * Every write endpoint of docs/api.md §18 (POST/PUT/PATCH/DELETE). The fuzz suite fails when
 * /docs-json lists a write operation that is not here, so new endpoints are fuzzed too.
 */
export const WRITE_ENDPOINTS: WriteEndpoint[] = [
  {
    method: 'POST',
    path: '/api/v1/auth/google/callback',
    auth: 'public',
    body: (w) => ({ id_token: { kind: 'constant', values: w.googleTokens } }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/dev/login',
    auth: 'public',
    body: (w) => ({
      email: { kind: 'constant', values: [w.owner.user.email, w.other.user.email, 'Fuzz@Example.com'] },
      name: text(100),
      tier: { kind: 'enum', values: ['free', 'pro'] },
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/refresh',
    auth: 'public',
    body: (w) => ({ refresh_token: { kind: 'constant', values: [w.owner.refreshToken, w.other.refreshToken] } }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/logout',
    auth: 'public',
    body: (w) => ({ refresh_token: { kind: 'constant', values: [w.owner.refreshToken, w.other.refreshToken] } }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/users/me',
    auth: 'bearer',
    body: () => ({
      name: text(100),
      timezone: { kind: 'constant', values: ['UTC', 'Europe/London', 'America/Argentina/Buenos_Aires', 'Etc/GMT+12'] },
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/users/me',
    auth: 'bearer',
    body: (w) => ({
      confirm: {
        kind: 'constant',
        values: [w.owner.user.email, ` ${w.owner.user.email.toUpperCase()} `, w.other.user.email],
      },
    }),
  },
  { method: 'POST', path: '/api/v1/users/me/export', auth: 'bearer' },
  { method: 'POST', path: '/api/v1/access-tokens', auth: 'bearer', body: () => accessToken },
  { method: 'DELETE', path: '/api/v1/access-tokens/{id}', auth: 'bearer', params: { id: accessTokenIds } },
  { method: 'POST', path: '/mcp', auth: 'bearer', body: () => mcpMessage },
  { method: 'POST', path: '/api/v1/events/ticket', auth: 'bearer' },
  { method: 'POST', path: '/api/v1/calendar-feed', auth: 'bearer' },
  { method: 'DELETE', path: '/api/v1/calendar-feed', auth: 'bearer' },
  { method: 'POST', path: '/api/v1/tasks', auth: 'bearer', body: () => taskFields },
  { method: 'POST', path: '/api/v1/tasks/quick-add', auth: 'bearer', body: () => quickAdd },
  { method: 'POST', path: '/api/v1/tasks/quick-add/preview', auth: 'bearer', body: () => quickAdd },
  { method: 'PATCH', path: '/api/v1/tasks/{id}', auth: 'bearer', params: { id: taskIds }, body: () => taskPatch },
  { method: 'PUT', path: '/api/v1/tasks/{id}', auth: 'bearer', params: { id: taskIds }, body: () => taskPatch },
  { method: 'DELETE', path: '/api/v1/tasks/{id}', auth: 'bearer', params: { id: taskIds } },
  {
    method: 'POST',
    path: '/api/v1/tasks/{id}/force-complete',
    auth: 'bearer',
    params: { id: taskIds },
    body: () => ({ version: int(1, 4) }),
  },
  {
    method: 'POST',
    path: '/api/v1/tasks/recover/{tombstone_id}',
    auth: 'bearer',
    params: { tombstone_id: tombstoneIds },
  },
  {
    method: 'POST',
    path: '/api/v1/tasks/{task_id}/subtasks',
    auth: 'bearer',
    params: { task_id: taskIds },
    body: () => ({ title: text(200) }),
  },
  {
    method: 'PUT',
    path: '/api/v1/tasks/{task_id}/subtasks/reorder',
    auth: 'bearer',
    params: { task_id: taskIds },
    body: (w) => ({ subtask_ids: { kind: 'array', max: 12, item: uuid(subtaskIds, w) } }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/subtasks/{id}',
    auth: 'bearer',
    params: { id: subtaskIds },
    body: () => ({ title: text(200), completed: bool }),
  },
  {
    method: 'PUT',
    path: '/api/v1/subtasks/{id}',
    auth: 'bearer',
    params: { id: subtaskIds },
    body: () => ({ title: text(200), completed: bool }),
  },
  { method: 'DELETE', path: '/api/v1/subtasks/{id}', auth: 'bearer', params: { id: subtaskIds } },
  { method: 'POST', path: '/api/v1/templates', auth: 'bearer', body: () => templateFields },
  {
    method: 'PATCH',
    path: '/api/v1/templates/{id}',
    auth: 'bearer',
    params: { id: templateIds },
    body: () => ({ ...templateFields, active: bool, apply_to_future_only: bool }),
  },
  { method: 'DELETE', path: '/api/v1/templates/{id}', auth: 'bearer', params: { id: templateIds } },
  { method: 'POST', path: '/api/v1/templates/{id}/generate', auth: 'bearer', params: { id: templateIds } },
  {
    method: 'POST',
    path: '/api/v1/notes',
    auth: 'bearer',
    body: () => ({ content: text(2000), voice_url: url, voice_duration_seconds: int(1, 300) }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/notes/{id}',
    auth: 'bearer',
    params: { id: noteIds },
    body: () => ({ content: text(2000), archived: bool }),
  },
  {
    method: 'PUT',
    path: '/api/v1/notes/{id}',
    auth: 'bearer',
    params: { id: noteIds },
    body: () => ({ content: text(2000), archived: bool }),
  },
  { method: 'DELETE', path: '/api/v1/notes/{id}', auth: 'bearer', params: { id: noteIds } },
  {
    method: 'POST',
    path: '/api/v1/notes/{id}/convert',
    auth: 'bearer',
    params: { id: noteIds },
    aiContent: AI_CONVERSION,
  },
  {
    method: 'POST',
    path: '/api/v1/tasks/{task_id}/reminders',
    auth: 'bearer',
    params: { task_id: taskIds },
    body: () => reminderFields,
  },
  {
    method: 'POST',
    path: '/api/v1/reminders',
    auth: 'bearer',
    body: (w) => ({ ...reminderFields, task_id: uuid(taskIds, w) }),
  },
  {
    method: 'PATCH',
    path: '/api/v1/reminders/{id}',
    auth: 'bearer',
    params: { id: reminderIds },
    body: () => reminderFields,
  },
  { method: 'DELETE', path: '/api/v1/reminders/{id}', auth: 'bearer', params: { id: reminderIds } },
  { method: 'POST', path: '/api/v1/ai/chat', auth: 'bearer', body: chatBody, taskHeader: true },
  { method: 'POST', path: '/api/v1/ai/chat/stream', auth: 'bearer', body: chatBody, taskHeader: true },
  {
    method: 'POST',
    path: '/api/v1/ai/generate-subtasks',
    auth: 'bearer',
    body: (w) => ({ task_id: uuid(taskIds, w) }),
    aiContent: AI_SUBTASKS,
  },
  {
    method: 'POST',
    path: '/api/v1/ai/transcribe',
    auth: 'bearer',
    body: (w) => ({
      audio_url: url,
      duration_seconds: int(1, 300),
      language: { kind: 'constant', values: ['en', 'en-US', 'pt-BR', 'zh-Hant-TW', 'x'] },
      note_id: uuid(noteIds, w),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/ai/confirm-action',
    auth: 'bearer',
    body: (w) => ({
      action_type: {
        kind: 'constant',
        values: [
          'create_task',
          'update_task',
          'complete_task',
          'create_subtasks',
          'convert_note',
          '',
          'CREATE_TASK',
          'delete_everything',
        ],
      },
      action_data: {
        kind: 'object',
        fields: {
          ...taskPatch,
          task_id: uuid(taskIds, w),
          note_id: uuid(noteIds, w),
          subtasks: { kind: 'array', max: 11, item: { kind: 'object', fields: { title: text(200) } } },
          task: {
            kind: 'object',
            fields: {
              ...taskFields,
              subtasks: { kind: 'array', max: 11, item: { kind: 'object', fields: { title: text(200) } } },
            },
          },
          archive_note: bool,
        },
      },
    }),
  },
  { method: 'POST', path: '/api/v1/focus/start', auth: 'bearer', body: (w) => ({ task_id: uuid(taskIds, w) }) },
  {
    method: 'POST',
    path: '/api/v1/focus/end',
    auth: 'bearer',
    body: (w) => ({ task_id: uuid(taskIds, w), session_id: uuid(sessionIds, w) }),
  },
  { method: 'POST', path: '/api/v1/subscription/checkout', auth: 'bearer', body: () => redirectUrls },
  { method: 'POST', path: '/api/v1/subscription/upgrade', auth: 'bearer', body: () => redirectUrls },
  { method: 'POST', path: '/api/v1/subscription/cancel', auth: 'bearer' },
  { method: 'POST', path: '/api/v1/subscription/resume', auth: 'bearer' },
  {
    method: 'POST',
    path: '/api/v1/subscription/purchase-credits',
    auth: 'bearer',
    body: () => ({ amount: int(1, 500), ...redirectUrls }),
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/checkout',
    auth: 'webhook',
    body: (w) => {
      const userId: FieldSpec = {
        kind: 'constant',
        values: [w.owner.id, w.other.id, '00000000-0000-4000-8000-000000000000'],
      };
      return {
        id: { kind: 'constant', values: ['evt_fuzz_1', 'evt_fuzz_2', 'evt_' + 'x'.repeat(300)] },
        type: {
          kind: 'constant',
          values: [
            'payment_captured',
            'payment_declined',
            'subscription_renewed',
            'subscription_cancelled',
            'something_else',
          ],
        },
        created_on: timestamp,
        data: {
          kind: 'object',
          fields: {
            id: { kind: 'constant', values: ['pay_fuzz_1', 'pay_fuzz_2'] },
            reference: text(100),
            subscription_id: text(50),
            user_id: userId,
            period_start: timestamp,
            period_end: timestamp,
            source: { kind: 'object', fields: { id: { kind: 'constant', values: ['src_fuzz'] } } },
            metadata: {
              kind: 'object',
              fields: {
                user_id: userId,
                purpose: { kind: 'enum', values: ['pro_subscription', 'credit_purchase'] },
                credits: int(1, 500),
                payment_session_id: uuid(() => [], w),
              },
            },
          },
        },
      };
    },
  },
  { method: 'PATCH', path: '/api/v1/notifications/{id}/read', auth: 'bearer', params: { id: notificationIds } },
  {
    method: 'PATCH',
    path: '/api/v1/notifications/{id}',
    auth: 'bearer',
    params: { id: notificationIds },
    body: () => ({ read: bool }),
  },
  { method: 'POST', path: '/api/v1/notifications/read-all', auth: 'bearer' },
  { method: 'DELETE', path: '/api/v1/notifications/{id}', auth: 'bearer', params: { id: notificationIds } },
  {
    method: 'POST',
    path: '/api/v1/notifications/push-subscription',
    auth: 'bearer',
    body: (w) => {
      const key: FieldSpec = {
        kind: 'constant',
        values: [
          'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
          'tBHItJI5svbpez7KI4CCXg',
        ],
      };
      return {
        endpoint: {
          kind: 'constant',
          values: [w.owner.owned.pushEndpoint, w.other.owned.pushEndpoint, 'https://push.example.com/x'],
        },
        p256dh_key: key,
        auth_key: key,
        keys: { kind: 'object', fields: { p256dh: key, auth: key } },
      };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/notifications/push-subscription',
    auth: 'bearer',
    query: (w) => ({
      endpoint: { kind: 'constant', values: [w.owner.owned.pushEndpoint, w.other.owned.pushEndpoint] },
    }),
  },
];
