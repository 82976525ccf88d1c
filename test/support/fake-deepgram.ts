import { createServer, IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

export interface FakeTranscriptResult {
  transcript: string;
  is_final: boolean;
  confidence?: number;
}

/**
 * Live modes: `ok` answers each audio frame with the next scripted result and, on `CloseStream`,
 * sends the stream's `Metadata` (request id, audio duration) and closes 1000, as Deepgram does;
 * `refuse` rejects the upgrade; `fail` closes 1011 after the first audio frame. Like Deepgram, a
 * live socket that receives neither audio nor a text message (e.g. `KeepAlive`) for `idleCloseMs`
 * is closed 1011 with Deepgram's NET-0001 reason.
 * Pre-recorded modes: `ok`, `error` (HTTP 500), `timeout` (never answers), `malformed` (not JSON).
 */
export interface FakeDeepgram {
  /** For `DEEPGRAM_URL` (`http://127.0.0.1:<port>`). */
  url: string;
  apiKey: string;
  liveMode: 'ok' | 'refuse' | 'fail';
  /** Deepgram closes a live socket after about 10 s without audio or a text message. */
  idleCloseMs: number;
  prerecordedMode: 'ok' | 'error' | 'timeout' | 'malformed';
  /** Results sent back, one per received audio frame (then nothing more). */
  script: FakeTranscriptResult[];
  /** Pre-recorded answer fields. */
  prerecorded: { transcript: string; confidence: number; language: string; duration: number | null };
  liveRequests: Array<{ url: string; authorization: string | undefined }>;
  /** What each live connection received: byte sizes of audio frames and control messages. */
  received: Array<{ audioBytes: number[]; control: string[] }>;
  prerecordedRequests: Array<{ url: string; authorization: string | undefined; body: unknown }>;
  reset(): void;
  close(): Promise<void>;
}

const IDLE_CLOSE_MS = 10_000;
const NET_0001 =
  'Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001';

const DEFAULT_SCRIPT: FakeTranscriptResult[] = [
  { transcript: 'remember', is_final: false, confidence: 0.6 },
  { transcript: 'remember to call', is_final: true, confidence: 0.9 },
  { transcript: '', is_final: false },
  { transcript: 'the supplier', is_final: true, confidence: 0.95 },
];

/** A Deepgram stand-in on 127.0.0.1: WebSocket `/v1/listen` (live) and `POST /v1/listen` (pre-recorded). */
export async function startFakeDeepgram(apiKey = 'dg-test-key'): Promise<FakeDeepgram> {
  const sockets = new Set<Socket>();
  const clients = new Set<WebSocket>();
  const fake = {
    apiKey,
    liveMode: 'ok',
    idleCloseMs: IDLE_CLOSE_MS,
    prerecordedMode: 'ok',
    script: [...DEFAULT_SCRIPT],
    prerecorded: { transcript: 'Buy milk and eggs', confidence: 0.93, language: 'en', duration: 42 },
    liveRequests: [],
    received: [],
    prerecordedRequests: [],
  } as unknown as FakeDeepgram;
  const authorized = (req: IncomingMessage): boolean => req.headers.authorization === `Token ${apiKey}`;

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (part: Buffer) => (raw += part.toString('utf8')));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/v1/listen')) {
        res.writeHead(404).end();
        return;
      }
      fake.prerecordedRequests.push({
        url: req.url,
        authorization: req.headers.authorization,
        body: raw ? JSON.parse(raw) : null,
      });
      if (!authorized(req)) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"err_code":"INVALID_AUTH"}');
        return;
      }
      switch (fake.prerecordedMode) {
        case 'timeout':
          return;
        case 'error':
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"err_code":"INTERNAL"}');
          return;
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json</html>');
          return;
        case 'ok': {
          const { transcript, confidence, language, duration } = fake.prerecorded;
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              metadata: duration === null ? { request_id: 'r1' } : { request_id: 'r1', duration },
              results: { channels: [{ detected_language: language, alternatives: [{ transcript, confidence }] }] },
            }),
          );
        }
      }
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    fake.liveRequests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    if (!req.url?.startsWith('/v1/listen') || !authorized(req) || fake.liveMode === 'refuse') {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      const record = { audioBytes: [] as number[], control: [] as string[] };
      fake.received.push(record);
      let next = 0;
      let idle: NodeJS.Timeout | undefined;
      const armIdle = (): void => {
        clearTimeout(idle);
        idle = setTimeout(() => ws.close(1011, NET_0001), fake.idleCloseMs);
      };
      armIdle();
      ws.on('close', () => clearTimeout(idle));
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        armIdle();
        if (isBinary) {
          record.audioBytes.push(data.length);
          if (fake.liveMode === 'fail') {
            ws.close(1011, 'provider failure');
            return;
          }
          const result = fake.script[next++];
          if (result) {
            ws.send(
              JSON.stringify({
                type: 'Results',
                is_final: result.is_final,
                channel: { alternatives: [{ transcript: result.transcript, confidence: result.confidence ?? 0.8 }] },
              }),
            );
          }
          return;
        }
        const text = data.toString('utf8');
        record.control.push(text);
        if ((JSON.parse(text) as { type?: string }).type === 'CloseStream') {
          const audioBytes = record.audioBytes.reduce((sum, bytes) => sum + bytes, 0);
          ws.send(
            JSON.stringify({
              type: 'Metadata',
              transaction_key: 'deprecated',
              request_id: 'r1',
              created: new Date().toISOString(),
              duration: audioBytes / 32_000,
              channels: 1,
            }),
          );
          ws.close(1000);
        }
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  fake.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  fake.reset = () => {
    fake.liveMode = 'ok';
    fake.idleCloseMs = IDLE_CLOSE_MS;
    fake.prerecordedMode = 'ok';
    fake.script = [...DEFAULT_SCRIPT];
    fake.prerecorded = { transcript: 'Buy milk and eggs', confidence: 0.93, language: 'en', duration: 42 };
    fake.liveRequests.length = 0;
    fake.received.length = 0;
    fake.prerecordedRequests.length = 0;
  };
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const client of clients) client.terminate();
      for (const socket of sockets) socket.destroy();
      wss.close();
      server.close(() => resolve());
    });
  return fake;
}
