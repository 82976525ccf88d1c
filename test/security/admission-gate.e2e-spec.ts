import { connect, Socket } from 'node:net';
import type supertest from 'supertest';
import { as, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { waitFor } from '../support/wait-for';

/** A raw HTTP/1.1 client that sends its headers and part of a body, then stalls. */
interface SlowClient {
  socket: Socket;
  /** Settles once the headers and the first part of the body have left for the server. */
  sent: Promise<void>;
  /** Everything the server wrote before closing or within the wait. */
  reply: Promise<string>;
}

function slowBody(baseUrl: string, path: string): SlowClient {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  const sent = new Promise<void>((resolve) =>
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":`,
      () => resolve(),
    ),
  );
  const reply = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\r\n\r\n') && text.trimEnd().endsWith('}')) resolve(text);
    });
    socket.on('close', () => resolve(text));
  });
  return { socket, sent, reply };
}

function statusOf(reply: string): number {
  return Number(reply.split(' ')[1]);
}

function bodyOf(reply: string): unknown {
  return JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4));
}

describe('admission gate (one slot, one waiting, 400 ms body budget)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ADMISSION_LIMIT: '1', ADMISSION_QUEUE: '1', BODY_READ_TIMEOUT_MS: '400' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer a client that trickles its body 408 REQUEST_TIMEOUT with the envelope', async () => {
    const client = slowBody(t.baseUrl, '/api/v1/tasks');
    const started = Date.now();
    const reply = await client.reply;
    client.socket.destroy();

    expect(statusOf(reply)).toBe(408);
    expect(bodyOf(reply)).toEqual({
      error: {
        code: 'REQUEST_TIMEOUT',
        message: 'Request body not received in time',
        request_id: expect.any(String),
      },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('should serve other requests while a client trickles its body (no slot is taken)', async () => {
    const client = slowBody(t.baseUrl, '/api/v1/tasks');
    await client.sent;
    expect((await t.http.get('/api/v1/tasks')).status).toBe(401);
    expect(statusOf(await client.reply)).toBe(408);
    client.socket.destroy();
  });

  it('should answer 503 SERVICE_UNAVAILABLE with Retry-After beyond the queue, also for an /API spelling', async () => {
    const { accessToken } = await loginAs(t);
    const lock = t.dataSource.createQueryRunner();
    await lock.connect();
    await lock.startTransaction();
    await lock.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    // Holds the only slot until the lock is released: it is in when PostgreSQL shows it waiting.
    const holder = as(t, accessToken)
      .get('/api/v1/tasks')
      .then((res) => res);
    await waitFor(async () => {
      const [{ blocked }] = await t.dataSource.query(
        `SELECT count(*)::int AS blocked FROM pg_locks WHERE NOT granted AND relation = 'users'::regclass`,
      );
      return blocked > 0;
    });
    // Four more at once, three of them spelled differently: one takes the waiting place, whichever
    // comes first; the gate refuses the other three, so every spelling is gated.
    const answered: supertest.Response[] = [];
    const others = ['/api/v1/tasks', '/api/v1/tasks', '/API/V1/tasks', '/Api/v1/Tasks'].map((path) =>
      as(t, accessToken)
        .get(path)
        .then((res) => (answered.push(res), res)),
    );
    try {
      await waitFor(() => answered.length === 3);
    } finally {
      await lock.commitTransaction();
      await lock.release();
    }
    const answers = await Promise.all(others);
    const flood = answers.filter((res) => res.status === 503);
    expect(flood).toHaveLength(3);
    for (const res of flood) {
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual({
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'The server is busy, retry shortly',
          request_id: expect.any(String),
        },
      });
    }
    expect(answers.filter((res) => res.status !== 503).map((res) => res.status)).toEqual([200]);
    expect((await holder).status).toBe(200);
  });
});
