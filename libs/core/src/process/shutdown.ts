import { stopTracing } from './tracing';

const SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Calls `close` once on the first SIGINT/SIGTERM and exits; a process that cannot finish within
 * the deadline exits anyway (in-flight work is retried by its owner: clients, the job queue).
 */
export function closeOnSignal(close: () => Promise<void>, log: (message: string) => void = console.error): void {
  let closing = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    log(`${signal} received, shutting down`);
    const timer = setTimeout(() => {
      log('shutdown deadline passed, exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    timer.unref();
    close()
      .then(stopTracing)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log(`shutdown failed: ${String(error)}`);
        process.exit(1);
      });
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  // Under the `npm start` supervisor: if it dies (even by kill -9) the IPC channel closes; stop too.
  if (process.connected) process.once('disconnect', () => handler('SIGTERM'));
}

/** Prints a boot failure (bad configuration names the variable) and exits non-zero. */
export function exitOnBootFailure(error: unknown): never {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
