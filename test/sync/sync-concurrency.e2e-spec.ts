import { Client } from 'pg';
import { as, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { eventually, serverState, SyncReplica } from './sync-client';

const WRITERS = 6;
const ROUNDS = 5;

/**
 * Many writers (API requests and slow SQL transactions that commit out of position order) while a
 * poller follows cursors with small pages: the replica it builds must end equal to the server's
 * state, and every entity ever created must have been seen.
 */
describe('GET /api/v1/sync under concurrent writes', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_GENERAL: '100000' });
  });

  afterAll(() => t.close());

  it('should never skip a change: the union of what the poller saw equals every change', async () => {
    // Pro: 25 notes, enough for the notes that stay.
    const { accessToken } = await loginAs(t, { tier: 'pro' });
    const client = as(t, accessToken);
    const created = new Set<string>();
    const replica = new SyncReplica(t, accessToken, 7);

    const ok = async (request: Promise<{ status: number; body: { data?: Record<string, unknown> } }>) => {
      const res = await request;
      if (res.status >= 300) throw new Error(`write failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.data as Record<string, unknown>;
    };
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    async function writer(n: number): Promise<void> {
      const slow = new Client({ connectionString: t.databaseUrl });
      await slow.connect();
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const task = await ok(client.post('/api/v1/tasks').send({ title: `w${n} r${round}` }));
          created.add(`task:${task.id as string}`);
          const subtask = await ok(client.post(`/api/v1/tasks/${task.id as string}/subtasks`).send({ title: 'step' }));
          created.add(`subtask:${subtask.id as string}`);
          const note = await ok(client.post('/api/v1/notes').send({ content: `w${n} r${round}` }));
          created.add(`note:${note.id as string}`);
          await ok(client.patch(`/api/v1/tasks/${task.id as string}`).send({ title: `w${n} r${round} renamed` }));

          // A transaction that takes its position now and commits after others have committed.
          await slow.query('BEGIN');
          await slow.query(`UPDATE notes SET content = $2, updated_at = clock_timestamp() WHERE id = $1`, [
            note.id,
            `w${n} r${round} slow`,
          ]);
          await pause(20 + ((n * 7 + round * 13) % 40));
          await slow.query('COMMIT');

          if (round % 2 === 0)
            await ok(client.patch(`/api/v1/subtasks/${subtask.id as string}`).send({ completed: true }));
          if (round % 3 === 1) await ok(client.delete(`/api/v1/tasks/${task.id as string}`));
          if (round % 2 === 1) await ok(client.delete(`/api/v1/notes/${note.id as string}`));
        }
      } finally {
        await slow.end();
      }
    }

    let writing = true;
    const poller = (async () => {
      while (writing) {
        await replica.pull();
        await pause(5);
      }
    })();
    try {
      await Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n)));
    } finally {
      writing = false;
      await poller;
    }

    const expected = await serverState(t, accessToken);
    await eventually(async () => {
      await replica.drain();
      expect(replica.entities).toEqual(expected);
    }, 20_000);
    for (const key of created) expect(replica.seen).toContain(key);
    expect(created.size).toBe(WRITERS * ROUNDS * 3);
  });
});
