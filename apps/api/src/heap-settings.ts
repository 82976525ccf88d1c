/**
 * The V8 heap settings of the API process (bench/README.md "Memory under 1000 connections").
 * Neither caps the heap: a 16 MiB semi-space (V8's default is 32) halves the young generation
 * the process keeps committed, and old space grows to 1.5 × the live heap after each full
 * collection (V8 lets it reach 2.5–4 × while collections are cheap). Under 1000 connections the
 * peak RSS fell from ≈ 390 to ≈ 240–260 MB, for ≈ 10–25 % more CPU per request (twice the
 * collections).
 */
export const API_HEAP_FLAGS = ['--max-semi-space-size=16', '--heap-growing-percent=50'];

/**
 * V8 fixes the semi-space size when it starts, so the process runs itself again, once, with the
 * flags — unless the command line or NODE_OPTIONS already sets the semi-space size, which then
 * wins. Under the `npm start` supervisor (an IPC channel, which would not survive the exec) the
 * supervisor passes them. Returns the arguments to run again with, or undefined.
 */
export function heapRestartArgs(
  process: Pick<NodeJS.Process, 'execPath' | 'execArgv' | 'argv' | 'env' | 'channel'>,
): string[] | undefined {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (given.some((flag) => flag.startsWith('--max-semi-space-size')) || process.channel) return undefined;
  return [process.execPath, ...API_HEAP_FLAGS, ...process.execArgv, ...process.argv.slice(1)];
}

/** Runs this process again with the heap settings (`execve`: the same pid, stdio and environment). */
export function applyHeapSettings(): void {
  const args = heapRestartArgs(process);
  if (args && typeof process.execve === 'function') process.execve(process.execPath, args, process.env);
}
