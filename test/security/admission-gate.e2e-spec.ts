import { connect, Socket } from 'node:net';
import { as, loginAs } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/** A raw HTTP/1.1 client that sends its headers and part of a body, then stalls. */
interface SlowClient {
  socket: Socket;
  /** Everything the server wrote before closing or within the wait. */
  reply: Promise<string>;
}

function slowBody(baseUrl: string, path: string): SlowClient {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":`,
  );
  const reply = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\r\n\r\n') && text.trimEnd().endsWith('}')) resolve(text);
    });
    socket.on('close', () => resolve(text));
  });
  return { socket, reply };
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
    await new Promise((resolve) => setTimeout(resolve, 50));
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
    // Holds the only slot until the lock is released; the next one waits.
    const holder = as(t, accessToken)
      .get('/api/v1/tasks')
      .then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waiting = as(t, accessToken)
      .get('/api/v1/tasks')
      .then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 100));

    const flood = await Promise.all(['/api/v1/tasks', '/API/V1/tasks', '/Api/v1/Tasks'].map((p) => t.http.get(p)));
    await lock.commitTransaction();
    await lock.release();
    for (const res of flood) {
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual({
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'The server is busy, retry shortly',
          request_id: expect.any(String),
        },
      });
    }
    expect((await holder).status).toBe(200);
    expect((await waiting).status).toBe(200);
  });
});
