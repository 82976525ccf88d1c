import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How the fake answers the next requests:
 * - `ok`: a chat completion (JSON) or `text/event-stream` chunks ending with `data: [DONE]`;
 * - `error`: HTTP 500; `timeout`: never answers; `malformed`: 200 with a body that is not a chat
 *   completion (JSON) or a broken chunk (stream); `empty`: a completion with empty content;
 * - `unauthorized`: 401 `invalid_api_key`; `rate_limited`: 429 `rate_limit_exceeded` with
 *   `retry-after`, both with OpenAI's error bodies;
 * - `stall`: (stream) sends the first chunk, then nothing more; `cut`: (stream) first chunk, then the
 *   connection drops; `stream_error`: (stream) first chunk, then an `error` event, as OpenAI sends
 *   when a generation fails midway.
 * A successful stream ends like OpenAI's: a chunk with an empty delta and `finish_reason: "stop"`,
 * then `data: [DONE]`.
 */
export type FakeOpenAiMode =
  | 'ok'
  | 'error'
  | 'timeout'
  | 'malformed'
  | 'empty'
  | 'unauthorized'
  | 'rate_limited'
  | 'stall'
  | 'cut'
  | 'stream_error';

/** OpenAI's answers to a refused request: status, extra headers and the error object. */
const REFUSALS: Partial<Record<FakeOpenAiMode, { status: number; headers: Record<string, string>; error: object }>> = {
  error: { status: 500, headers: {}, error: { message: 'boom', type: 'server_error', param: null, code: null } },
  unauthorized: {
    status: 401,
    headers: {},
    error: {
      message:
        'Incorrect API key provided: sk-fake. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  },
  rate_limited: {
    status: 429,
    headers: { 'retry-after': '20', 'x-ratelimit-remaining-requests': '0' },
    error: {
      message: 'Rate limit reached for requests per min (RPM): Limit 3, Used 3, Requested 1.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
  },
};

export interface RecordedChatRequest {
  authorization: string | undefined;
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    temperature?: number;
    stream?: boolean;
    response_format?: { type: string };
    [key: string]: unknown;
  };
}

export interface FakeOpenAi {
  /** Base URL for `OPENAI_BASE_URL` (`http://127.0.0.1:<port>/v1`). */
  url: string;
  requests: RecordedChatRequest[];
  mode: FakeOpenAiMode;
  /** Content of JSON completions (string, or an object sent as JSON text). */
  content: string | object;
  /** Text fragments of streamed completions. */
  chunks: string[];
  /** Milliseconds to wait before answering (and between stream chunks). */
  delayMs: number;
  /** Makes the next requests wait, recorded, until `release` names them. */
  hold(): void;
  /** Lets the held request at this index of `requests` answer. */
  release(index: number): void;
  reset(): void;
  close(): Promise<void>;
}

/** An OpenAI-compatible `POST /v1/chat/completions` on 127.0.0.1 for tests (docs/integrations.md §7). */
export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const sockets = new Set<Socket>();
  const state = {
    requests: [] as RecordedChatRequest[],
    mode: 'ok' as FakeOpenAiMode,
    content: 'Hello from the fake model' as string | object,
    chunks: ['Hello ', 'from ', 'the stream'],
    delayMs: 0,
    holding: false,
    held: new Map<number, () => void>(),
  };
  const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  const completion = (content: string): object => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'fake-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  });
  const chunk = (delta: { content?: string }, finishReason: string | null = null): string =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-fake',
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: 'fake-model',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    })}\n\n`;

  async function answer(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
      return;
    }
    const body = JSON.parse(raw) as RecordedChatRequest['body'];
    const index = state.requests.push({ authorization: req.headers.authorization, body }) - 1;
    if (state.holding) await new Promise<void>((resolve) => state.held.set(index, resolve));
    const mode = state.mode;
    if (mode === 'timeout') return;
    await wait(state.delayMs);
    const refusal = REFUSALS[mode];
    if (refusal) {
      res
        .writeHead(refusal.status, { 'content-type': 'application/json', ...refusal.headers })
        .end(JSON.stringify({ error: refusal.error }));
      return;
    }
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (mode === 'malformed') {
        res.end('data: {this is not json\n\n');
        return;
      }
      for (const [index, text] of state.chunks.entries()) {
        res.write(chunk({ content: text }));
        if (index === 0 && mode === 'stall') return;
        if (index === 0 && mode === 'cut') {
          res.socket?.destroy();
          return;
        }
        if (index === 0 && mode === 'stream_error') {
          res.end(
            `data: ${JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } })}\n\n`,
          );
          return;
        }
        await wait(state.delayMs);
      }
      res.end(`${chunk({}, 'stop')}data: [DONE]\n\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    if (mode === 'malformed') {
      res.end('{"unexpected":"this is not a chat completion"}');
      return;
    }
    const content =
      mode === 'empty' ? '' : typeof state.content === 'string' ? state.content : JSON.stringify(state.content);
    res.end(JSON.stringify(completion(content)));
  }

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => (raw += part));
    req.on('end', () => void answer(req, res, raw).catch(() => res.destroy()));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const fake: FakeOpenAi = {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return state.requests;
    },
    get mode() {
      return state.mode;
    },
    set mode(mode: FakeOpenAiMode) {
      state.mode = mode;
    },
    get content() {
      return state.content;
    },
    set content(content: string | object) {
      state.content = content;
    },
    get chunks() {
      return state.chunks;
    },
    set chunks(chunks: string[]) {
      state.chunks = chunks;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    hold() {
      state.holding = true;
    },
    release(index: number) {
      const resolve = state.held.get(index);
      if (!resolve) throw new Error(`no held request at index ${index}`);
      state.held.delete(index);
      resolve();
    },
    reset() {
      state.holding = false;
      for (const resolve of state.held.values()) resolve();
      state.held.clear();
      state.requests = [];
      state.mode = 'ok';
      state.content = 'Hello from the fake model';
      state.chunks = ['Hello ', 'from ', 'the stream'];
      state.delayMs = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return fake;
}
