import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { staleBuildProblem } from '@app/core/process/build-stamp';
import { baseTestEnv } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
export const JOB_CLI = join(ROOT, 'dist', 'scripts', 'job.js');
export const WORKER_MAIN = join(ROOT, 'dist', 'apps', 'worker', 'src', 'main.js');

let staleBuild: string | null | undefined;

/**
 * The compiled entry points (`npm run build`, also run by `npm install`) are what these tests
 * start; a build older than the sources fails the test instead of testing old code (the build
 * stamp of docs/jobs.md §3).
 */
export function builtEntry(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build" first`);
  staleBuild ??= staleBuildProblem(ROOT, join(ROOT, 'dist'));
  if (staleBuild) throw new Error(staleBuild);
  return path;
}

export function processEnv(databaseUrl: string, env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...baseTestEnv(),
    DATABASE_URL: databaseUrl,
    DB_MIGRATE_ON_START: 'false',
    ...env,
  };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  exited: Promise<Finished>;
}

export function startNode(script: string, args: string[], env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [builtEntry(script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, output: () => ({ stdout, stderr }), exited };
}

export function runNode(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return startNode(script, args, env).exited;
}
