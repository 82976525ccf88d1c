import type { Server } from 'node:http';

const POLL_MS = 100;

/**
 * Graceful shutdown, first step: stop accepting connections and wait until the requests in
 * flight have been answered, closing every keep-alive connection as soon as it is idle. Without
 * this, `server.close()` waits for idle keep-alive connections (75 s keep-alive timeout) and the
 * process only ends at the shutdown deadline, and Nest's `app.close()` would run the modules'
 * destroy hooks (job queue) before it even stops accepting requests.
 */
export function drainHttpServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const closeIdle = setInterval(() => server.closeIdleConnections(), POLL_MS);
    server.close(() => {
      clearInterval(closeIdle);
      resolve();
    });
    server.closeIdleConnections();
  });
}
