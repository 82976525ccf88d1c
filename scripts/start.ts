import '@app/core/process/require-node';
import '@app/core/process/load-env-file';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { API_HEAP_FLAGS } from '../apps/api/src/heap-settings';
import { loadConfig } from '@app/core/config/app-config';
import { embeddedPostgresFor, migrate } from '@app/core/database/database-bootstrap';
import { RestartBackoff } from '@app/core/process/restart-backoff';
import { closeOnSignal, exitOnBootFailure } from '@app/core/process/shutdown';

/** Children get this long to exit after SIGTERM, so the database still stops within the 10-s deadline. */
const CHILD_STOP_MS = 8500;

interface Supervised {
  name: string;
  script: string;
  backoff: RestartBackoff;
  /** Node flags of this child (the API's heap settings: apps/api/src/heap-settings.ts). */
  flags: string[];
  child?: ChildProcess;
}

/**
 * `npm start`: the embedded PostgreSQL (when `DATABASE_URL` is unset), migrations, then the API
 * and the job runner as supervised child processes, restarted when they exit: 1 s later, then
 * twice as late for each crash in a row up to 30 s, and after 1 s again once a run lasted a
 * minute. SIGINT/SIGTERM stop the children first, then the database.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = (message: string): void => console.error(`[start] ${message}`);
  const embedded = config.DATABASE_URL ? undefined : embeddedPostgresFor(config, log);
  const databaseUrl = config.DATABASE_URL ?? (await embedded!.start());
  if (embedded) log(`embedded PostgreSQL ready under ${config.DATA_DIR}`);
  if (config.DB_MIGRATE_ON_START) {
    const applied = await migrate(databaseUrl);
    if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
  }

  let stopping = false;
  const env = { ...process.env, DATABASE_URL: databaseUrl, DB_MIGRATE_ON_START: 'false' };
  const processes: Supervised[] = (['api', 'worker'] as const).map((name) => ({
    name,
    script: join(__dirname, '..', 'apps', name, 'src', 'main.js'),
    flags: name === 'api' ? API_HEAP_FLAGS : [],
    backoff: new RestartBackoff(),
  }));
  const launch = (entry: Supervised): void => {
    entry.child = spawn(process.execPath, [...entry.flags, ...process.execArgv, entry.script], {
      env,
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    entry.backoff.started();
    entry.child.on('exit', (code, signal) => {
      entry.child = undefined;
      if (stopping) return;
      const delay = entry.backoff.exited();
      log(`${entry.name} exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(() => !stopping && launch(entry), delay);
    });
  };
  processes.forEach(launch);

  closeOnSignal(async () => {
    stopping = true;
    await Promise.all(processes.map((entry) => stopChild(entry.child)));
    await embedded?.stop();
  }, log);
}

/**
 * SIGTERM, then SIGKILL if the child is still there after `CHILD_STOP_MS` (it exits on its own well
 * before: the runner gives unfinished jobs back to the queue; a killed one's jobs expire and retry).
 */
function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

main().catch(exitOnBootFailure);
