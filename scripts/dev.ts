import '@app/core/process/require-node';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { replaceTscAliasPaths } from 'tsc-alias';
import ts from 'typescript';
import { writeBuildStamp } from '@app/core/process/build-stamp';
import { closeOnSignal, exitOnBootFailure } from '@app/core/process/shutdown';

const root = join(__dirname, '..', '..');
const configFile = join(root, 'tsconfig.build.json');
const log = (message: string): void => console.error(`[dev] ${message}`);

/**
 * `npm run dev`: the TypeScript compiler in watch mode over the build of `npm run build`, and
 * `npm start` (dist/scripts/start.js) restarted after every compilation without errors. A
 * compilation with errors keeps the running product as it is. Ctrl-C stops the product (children,
 * then the embedded database) and the watcher.
 */
function main(): void {
  let product: ChildProcess | undefined;
  // Restarts run one after the other: the product stops completely before the next one starts.
  let restarts: Promise<void> = Promise.resolve();

  const stopProduct = async (): Promise<void> => {
    const running = product;
    product = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill('SIGTERM');
    await once(running, 'exit');
  };
  const restart = async (): Promise<void> => {
    await replaceTscAliasPaths({ configFile });
    writeBuildStamp(root, join(root, 'dist'));
    await stopProduct();
    log('starting npm start (dist/scripts/start.js)');
    product = spawn(process.execPath, [join(root, 'dist', 'scripts', 'start.js')], { cwd: root, stdio: 'inherit' });
  };

  const host = ts.createWatchCompilerHost(
    configFile,
    {},
    ts.sys,
    ts.createEmitAndSemanticDiagnosticsBuilderProgram,
    (diagnostic) => log(ts.formatDiagnostic(diagnostic, formatHost)),
    (diagnostic, _newLine, _options, errorCount) => {
      log(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      // errorCount is reported once a compilation finished (TypeScript's "Found N errors").
      if (errorCount === undefined) return;
      if (errorCount > 0) {
        log('not restarting: fix the errors above');
        return;
      }
      restarts = restarts.then(restart).catch((error: unknown) => log(`restart failed: ${String(error)}`));
    },
  );
  const watcher = ts.createWatchProgram(host);

  closeOnSignal(async () => {
    watcher.close();
    await restarts;
    await stopProduct();
  }, log);
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (fileName) => fileName,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n',
};

try {
  main();
} catch (error) {
  exitOnBootFailure(error);
}
