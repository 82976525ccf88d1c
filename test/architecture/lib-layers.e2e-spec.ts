import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** A checkout of `files` (path → source) with the project's alias, cruised with the project's rules. */
async function violationsIn(files: Record<string, string>): Promise<Array<[string, string, string]>> {
  const root = mkdtempSync(join(tmpdir(), 'lib-layers-'));
  try {
    const paths = { '@app/ai/*': ['libs/ai/src/*'], '@app/core/*': ['libs/core/src/*'] };
    const sources = { 'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths } }), ...files };
    for (const [path, source] of Object.entries(sources)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    }
    // The exit code is the number of errors; the JSON report lists them.
    const output = await promisify(execFile)(
      process.execPath,
      [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', 'libs', 'apps'],
      { cwd: root },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(output.stdout) as { summary: { violations: Violation[] } };
    return report.summary.violations.map((v) => [v.rule.name, v.from, v.to]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('lib layers (.dependency-cruiser.cjs, README "Architecture")', () => {
  it('should fail an upward import, a type-only one included, and pass downward ones and specs', async () => {
    await expect(
      violationsIn({
        'libs/core/src/clock.ts': 'export const now = (): Date => new Date();\n',
        'libs/ai/src/suggestion.ts':
          "import { now } from '@app/core/clock';\nexport type Suggestion = { at: Date };\nnow();\n",
        'libs/tasks/src/task.ts':
          "import type { Suggestion } from '@app/ai/suggestion';\nexport type Task = Suggestion;\n",
        'libs/tasks/src/task.spec.ts': "import '../../ai/src/suggestion';\n",
        'apps/api/src/main.ts': "import type { Task } from '../../../libs/tasks/src/task';\nexport type Main = Task;\n",
      }),
    ).resolves.toEqual([['lib-layer-5', 'libs/tasks/src/task.ts', 'libs/ai/src/suggestion.ts']]);
  });

  it('should fail a lib that has no layer, an app import in a lib and the worker reaching libs/http', async () => {
    await expect(
      violationsIn({
        'libs/core/src/clock.ts': "import '../../../apps/api/src/main';\nexport const now = (): Date => new Date();\n",
        'libs/http/src/guard.ts': "import { now } from '../../core/src/clock';\nnow();\n",
        'libs/stray/src/stray.ts': "import { now } from '../../core/src/clock';\nnow();\n",
        'libs/notifications/src/push.ts': "import '../../http/src/guard';\n",
        'apps/api/src/main.ts': "import '../../../libs/http/src/guard';\n",
        'apps/worker/src/main.ts': "import '../../../libs/notifications/src/push';\n",
      }),
    ).resolves.toEqual(
      expect.arrayContaining([
        ['lib-imports-app', 'libs/core/src/clock.ts', 'apps/api/src/main.ts'],
        ['lib-without-layer', 'libs/stray/src/stray.ts', 'libs/core/src/clock.ts'],
        ['worker-reaches-http', 'apps/worker/src/main.ts', 'libs/http/src/guard.ts'],
      ]),
    );
  });
});
