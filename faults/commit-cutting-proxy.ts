import { createConnection, createServer, Server, Socket } from 'node:net';

/** What the proxy does with a COMMIT that PostgreSQL has just acknowledged. */
export type CommitFate = 'pass' | 'cut' | 'kill';

export interface CommitCuttingProxy {
  port: number;
  /** COMMITs PostgreSQL acknowledged whose answer never reached the API. */
  readonly swallowed: number;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * Splits a PostgreSQL wire stream into whole messages. `typed` streams carry a type byte before
 * each length; the client's first messages (startup, SSL/GSS requests) carry none.
 */
class MessageReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private untypedFirst: boolean) {}

  /** Appends `chunk`; returns the complete messages it closes, each with its type ('' when untyped). */
  read(chunk: Buffer): { type: string; bytes: Buffer }[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: { type: string; bytes: Buffer }[] = [];
    for (;;) {
      const header = this.untypedFirst ? 0 : 1;
      if (this.pending.length < header + 4) break;
      const total = header + this.pending.readInt32BE(header);
      if (this.pending.length < total) break;
      const bytes = this.pending.subarray(0, total);
      this.pending = this.pending.subarray(total);
      if (this.untypedFirst) {
        const code = bytes.readInt32BE(4);
        if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) this.untypedFirst = false;
        messages.push({ type: '', bytes });
      } else {
        messages.push({ type: String.fromCharCode(bytes[0]), bytes });
      }
    }
    return messages;
  }
}

/** The text of a simple Query ('Q') message, without its terminating NUL. */
function queryText(bytes: Buffer): string {
  return bytes.subarray(5, bytes.length - 1).toString('utf8');
}

/** The tag of a CommandComplete ('C') message. */
function commandTag(bytes: Buffer): string {
  return bytes.subarray(5, bytes.length - 1).toString('utf8');
}

/**
 * A TCP proxy between the API and PostgreSQL that loses answers on purpose (issue #12 item 6):
 * it forwards every COMMIT, waits for PostgreSQL's `CommandComplete COMMIT` — the transaction is
 * durable at that point — and then, as `fate()` decides, either passes the answer on, or drops
 * it and cuts both sockets (`cut`: the API sees its connection die after a successful commit),
 * or first calls `onKill` (`kill`: the API is SIGKILLed between the commit and its answer).
 */
export async function startCommitCuttingProxy(
  target: { host: string; port: number },
  fate: () => CommitFate,
  onKill: () => void,
): Promise<CommitCuttingProxy> {
  let swallowed = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    sockets.add(client).add(upstream);
    const fromClient = new MessageReader(true);
    const fromServer = new MessageReader(false);
    let commitsAwaited = 0;
    let dead = false;
    const kill = (): void => {
      dead = true;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (dead) return;
      for (const message of fromClient.read(chunk)) {
        if (message.type === 'Q' && /^\s*COMMIT\s*;?\s*$/i.test(queryText(message.bytes))) commitsAwaited++;
        upstream.write(message.bytes);
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (dead) return;
      for (const message of fromServer.read(chunk)) {
        if (commitsAwaited > 0 && message.type === 'C' && commandTag(message.bytes) === 'COMMIT') {
          commitsAwaited--;
          const decided = fate();
          if (decided !== 'pass') {
            swallowed++;
            if (decided === 'kill') onKill();
            kill();
            return;
          }
        }
        client.write(message.bytes);
      }
    });
    for (const socket of [client, upstream]) {
      socket.on('error', kill);
      socket.on('close', () => {
        sockets.delete(socket);
        kill();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    get swallowed() {
      return swallowed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
