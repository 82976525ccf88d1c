import { decodeCursor } from '@app/sync/sync-cursor';
import { as } from '../support/factories';
import type { TestApp } from '../support/test-app';

export interface SyncChange {
  type: string;
  id: string;
  deleted: boolean;
  changed_at: string;
  data: Record<string, unknown> | null;
}

export interface SyncPage {
  changes: SyncChange[];
  next_cursor: string;
  has_more: boolean;
}

/** An offline client's replica built only from `GET /api/v1/sync` pages. */
export class SyncReplica {
  readonly entities = new Map<string, Record<string, unknown>>();
  readonly seen = new Set<string>();
  cursor: string | undefined;
  private lastPosition: [bigint, bigint] = [0n, 0n];

  constructor(
    private readonly t: TestApp,
    private readonly token: string,
    private readonly limit = 100,
  ) {}

  /** Fetches one page, applies it and checks that the cursor never moves backwards. */
  async pull(): Promise<SyncPage> {
    const query = { limit: String(this.limit), ...(this.cursor ? { since: this.cursor } : {}) };
    const res = await as(this.t, this.token).get('/api/v1/sync').query(query);
    if (res.status !== 200) throw new Error(`sync failed: ${res.status} ${JSON.stringify(res.body)}`);
    const page = res.body.data as SyncPage;
    for (const change of page.changes) {
      const key = `${change.type}:${change.id}`;
      this.seen.add(key);
      if (change.deleted) this.entities.delete(key);
      else this.entities.set(key, change.data as Record<string, unknown>);
    }
    const position = decodeCursor(page.next_cursor);
    if (!position) throw new Error(`unreadable cursor ${page.next_cursor}`);
    const [txid, seq] = this.lastPosition;
    if (position.txid < txid || (position.txid === txid && position.seq < seq)) {
      throw new Error('the cursor moved backwards');
    }
    this.lastPosition = [position.txid, position.seq];
    this.cursor = page.next_cursor;
    return page;
  }

  /** Pulls until a page says nothing more is ready. */
  async drain(): Promise<SyncChange[]> {
    const changes: SyncChange[] = [];
    for (;;) {
      const page = await this.pull();
      changes.push(...page.changes);
      if (!page.has_more) return changes;
    }
  }

  /** Entities of one type, by id. */
  ofType(type: string): Map<string, Record<string, unknown>> {
    return new Map(
      [...this.entities]
        .filter(([key]) => key.startsWith(`${type}:`))
        .map(([key, value]) => [key.slice(type.length + 1), value]),
    );
  }
}

/** Everything of the user as the regular endpoints show it, by type and id. */
export async function serverState(t: TestApp, token: string): Promise<Map<string, Record<string, unknown>>> {
  const state = new Map<string, Record<string, unknown>>();
  const client = as(t, token);
  const list = async (path: string): Promise<Array<Record<string, unknown>>> => {
    const items: Array<Record<string, unknown>> = [];
    for (let offset = 0; ; offset += 100) {
      const res = await client.get(path).query({ offset: String(offset), limit: '100' });
      if (res.status !== 200) throw new Error(`${path} failed: ${res.status}`);
      items.push(...res.body.data);
      if (!res.body.pagination.has_more) return items;
    }
  };
  for (const task of await list('/api/v1/tasks?hidden=true')) {
    state.set(`task:${task.id as string}`, task);
    const subtasks = await client.get(`/api/v1/tasks/${task.id as string}/subtasks`);
    for (const subtask of subtasks.body.data as Array<Record<string, unknown>>) {
      state.set(`subtask:${subtask.id as string}`, subtask);
    }
  }
  for (const reminder of await list('/api/v1/reminders')) state.set(`reminder:${reminder.id as string}`, reminder);
  for (const note of await list('/api/v1/notes?archived=true')) state.set(`note:${note.id as string}`, note);
  for (const template of await list('/api/v1/templates?include_inactive=true')) {
    state.set(`template:${template.id as string}`, template);
  }
  return state;
}

/** Retries an assertion for a few seconds: other databases' transactions in the cluster may hold back xmin. */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
