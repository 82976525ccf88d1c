import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { as, loginAs, LoggedInUser } from '../support/factories';
import type { TestApp } from '../support/test-app';

/** Ids of one of every kind of resource a user can own. */
export interface OwnedResources {
  task: string;
  /** A second task without subtasks, reminders or sessions (targets for body ids). */
  spareTask: string;
  subtasks: [string, string];
  reminder: string;
  note: string;
  template: string;
  /** The template's first instance. */
  instance: string;
  notification: string;
  focusSession: string;
  tombstone: string;
  pushEndpoint: string;
  pushSubscription: string;
  voiceSession: string;
  dataExport: string;
  calendarToken: string;
  accessToken: string;
}

export interface Member extends LoggedInUser {
  id: string;
  api: ReturnType<typeof as>;
  owned: OwnedResources;
  /** A random word inside every text the member's resources hold (to spot leaked content). */
  marker: string;
}

function ensure<T>(response: { status: number; body: { data?: T } }, status: number, what: string): T {
  if (response.status !== status || response.body.data === undefined) {
    throw new Error(`seeding ${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body.data;
}

/** A base64url P-256 public key and auth secret, as a browser registers them. */
export function pushKeys(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

/**
 * Signs in a new user (Pro, so voice and the higher limits are reachable) and creates one of
 * every resource through the API; the rows no endpoint creates (notification, voice session)
 * are inserted as the system would write them.
 */
export async function memberWithEverything(t: TestApp, tier: 'free' | 'pro' = 'pro'): Promise<Member> {
  const login = await loginAs(t, { tier });
  const api = as(t, login.accessToken);
  const id = login.user.id;
  const dueDate = new Date(Date.now() + 5 * 86_400_000).toISOString();
  const marker = `m${randomBytes(6).toString('hex')}`;

  const task = ensure<{ id: string }>(
    await api.post('/api/v1/tasks').send({ title: `Owned task ${marker}`, description: marker, due_date: dueDate }),
    201,
    'task',
  );
  const spareTask = ensure<{ id: string }>(
    await api.post('/api/v1/tasks').send({ title: `Spare task ${marker}` }),
    201,
    'task',
  );
  const first = ensure<{ id: string }>(
    await api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: `One ${marker}` }),
    201,
    'subtask',
  );
  const second = ensure<{ id: string }>(
    await api.post(`/api/v1/tasks/${task.id}/subtasks`).send({ title: `Two ${marker}` }),
    201,
    'subtask',
  );
  const reminder = ensure<{ id: string }>(
    await api.post(`/api/v1/tasks/${task.id}/reminders`).send({ type: 'before', offset_minutes: 30 }),
    201,
    'reminder',
  );
  const note = ensure<{ id: string }>(
    await api.post('/api/v1/notes').send({ content: `Owned note ${marker}` }),
    201,
    'note',
  );
  const template = ensure<{ id: string; first_instance: { id: string } | null }>(
    await api.post('/api/v1/templates').send({ title: `Owned template ${marker}`, rrule: 'FREQ=DAILY' }),
    201,
    'template',
  );
  const focus = ensure<{ id: string }>(
    await api.post('/api/v1/focus/start').send({ task_id: task.id }),
    201,
    'focus session',
  );
  const doomed = ensure<{ id: string }>(
    await api.post('/api/v1/tasks').send({ title: `Deleted task ${marker}` }),
    201,
    'task',
  );
  const deletion = ensure<{ tombstone_id: string }>(await api.delete(`/api/v1/tasks/${doomed.id}`), 200, 'tombstone');
  const pushEndpoint = `http://127.0.0.1:9/push/${randomUUID()}`;
  const push = ensure<{ id: string }>(
    await api.post('/api/v1/notifications/push-subscription').send({ endpoint: pushEndpoint, keys: pushKeys() }),
    201,
    'push subscription',
  );
  const dataExport = ensure<{ id: string }>(await api.post('/api/v1/users/me/export'), 202, 'data export');
  const feed = ensure<{ token: string }>(await api.post('/api/v1/calendar-feed'), 201, 'calendar feed');
  const accessToken = ensure<{ id: string }>(
    await api.post('/api/v1/access-tokens').send({ name: `Owned token ${marker}`, scopes: ['read'] }),
    201,
    'personal access token',
  );
  const [notification]: Array<{ id: string }> = await t.dataSource.query(
    `INSERT INTO notifications (user_id, type, title, body) VALUES ($1, 'system', 'Owned', $2) RETURNING id`,
    [id, `Owned notification ${marker}`],
  );
  const [voice]: Array<{ id: string }> = await t.dataSource.query(
    `INSERT INTO voice_sessions (user_id, status, end_reason, ended_at, duration_seconds, credits_used, transcript)
     VALUES ($1, 'completed', 'end_stream', now(), 12, 5, $2) RETURNING id`,
    [id, `owned words ${marker}`],
  );
  return {
    ...login,
    id,
    api,
    marker,
    owned: {
      task: task.id,
      spareTask: spareTask.id,
      subtasks: [first.id, second.id],
      reminder: reminder.id,
      note: note.id,
      template: template.id,
      instance: template.first_instance?.id ?? spareTask.id,
      notification: notification.id,
      focusSession: focus.id,
      tombstone: deletion.tombstone_id,
      pushEndpoint,
      pushSubscription: push.id,
      voiceSession: voice.id,
      dataExport: dataExport.id,
      calendarToken: feed.token,
      accessToken: accessToken.id,
    },
  };
}
