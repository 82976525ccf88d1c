import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

export const ROOT = resolve(__dirname, '..');
const TS_NODE = ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register'];

export interface Launched {
  name: string;
  child: ChildProcess;
  pid: number;
  /** performance.now() at spawn. */
  spawnedAt: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Spawns `node <args>` with its stdout and stderr appended to `logFile`. */
export function launch(name: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Launched {
  const log = openSync(logFile, 'a');
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', log, log] });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  return { name, child, pid: child.pid, spawnedAt };
}

/** Runs a bench TypeScript file (ts-node, transpile only) as its own node process. */
export function launchTs(
  name: string,
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
): Launched {
  return launch(
    name,
    [...TS_NODE, join(ROOT, file), ...args],
    { ...env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    logFile,
  );
}

/** Waits until the process exits; rejects when it exits non-zero. */
export function exited(launched: Launched): Promise<void> {
  const { child, name } = launched;
  if (child.exitCode !== null) {
    return child.exitCode === 0
      ? Promise.resolve()
      : Promise.reject(new Error(`${name} exited with ${child.exitCode}`));
  }
  return new Promise((resolveExit, reject) =>
    child.once('exit', (code, signal) =>
      code === 0 ? resolveExit() : reject(new Error(`${name} exited with ${signal ?? code}`)),
    ),
  );
}

/** Polls `url` until it answers `status`; returns the milliseconds since the process was spawned. */
export async function waitForStatus(
  url: string,
  launched: Launched,
  timeoutMs = 120_000,
  status = 200,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (launched.child.exitCode !== null) throw new Error(`${launched.name} exited with ${launched.child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === status) return performance.now() - launched.spawnedAt;
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 50));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(launched: Launched | undefined, graceMs = 15_000): Promise<void> {
  if (!launched) return;
  const { child } = launched;
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolveStop) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    child.kill('SIGTERM');
  });
}

/** Current and peak resident set size (VmRSS, VmHWM) of a process, in MiB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) return { rssMb: 0, peakMb: 0 };
  const status = readFileSync(path, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/** User + system CPU time a process has used so far, in milliseconds (/proc/<pid>/stat, 100 Hz ticks). */
export function cpuMsOf(pid: number): number {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return 0;
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The parent process of `pid` (field 4 of /proc/<pid>/stat), or undefined when it is not visible. */
export function parentOf(pid: number): number | undefined {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return undefined;
  return Number(readFileSync(path, 'utf8').split(') ')[1].split(' ')[1]);
}

/**
 * CPU time of a PostgreSQL server so far, in milliseconds: the postmaster, its exited children
 * (cutime + cstime) and its live ones (backends, walwriter, checkpointer, …).
 */
export function postgresCpuMsOf(postmasterPid: number): number {
  const stat = `/proc/${postmasterPid}/stat`;
  if (!existsSync(stat)) return 0;
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  let ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  const children = `/proc/${postmasterPid}/task/${postmasterPid}/children`;
  const pids = existsSync(children) ? readFileSync(children, 'utf8').trim().split(/\s+/).filter(Boolean) : [];
  for (const child of pids) ticks += cpuMsOf(Number(child)) / 10;
  return ticks * 10;
}
