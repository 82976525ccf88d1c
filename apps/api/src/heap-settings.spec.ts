import { API_HEAP_FLAGS, heapRestartArgs } from './heap-settings';

describe(heapRestartArgs.name, () => {
  const node = (execArgv: string[], env: NodeJS.ProcessEnv = {}, channel?: object) =>
    ({ execPath: '/bin/node', execArgv, argv: ['/bin/node', '/app/main.js', '--x'], env, channel }) as Parameters<
      typeof heapRestartArgs
    >[0];

  it('should run the entry point again with the heap flags before the given ones', () => {
    expect(heapRestartArgs(node(['--cpu-prof']))).toEqual([
      '/bin/node',
      ...API_HEAP_FLAGS,
      '--cpu-prof',
      '/app/main.js',
      '--x',
    ]);
  });

  it('should not when the semi-space size is already set, on the command line or in NODE_OPTIONS', () => {
    expect(heapRestartArgs(node([...API_HEAP_FLAGS]))).toBeUndefined();
    expect(heapRestartArgs(node(['--max-semi-space-size=64']))).toBeUndefined();
    expect(heapRestartArgs(node([], { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=8' }))).toBeUndefined();
  });

  it('should not under a supervisor holding an IPC channel', () => {
    expect(heapRestartArgs(node([], {}, {}))).toBeUndefined();
  });
});
