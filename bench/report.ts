import { existsSync, readFileSync } from 'node:fs';
import type { LoadResult } from './load-generator';
import type { TimedCalls } from './side-figures';
import { round } from './stats';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  database: string;
}

export interface PhaseFigures {
  product: LoadResult;
  floor: LoadResult;
  /** Highest VmRSS sampled during the product's run, and VmHWM (lifetime peak) after it. */
  apiRssMb: number;
  apiHwmMb: number;
  /** 1-minute load average of the machine before and after the phase (other processes distort the figures). */
  loadBefore: number;
  loadAfter: number;
  /** CPU time each server process used per request (user + system): independent of other load on the machine. */
  cpuMsPerRequest: { product: number; floor: number };
  /** CPU time of the PostgreSQL processes per request (null when the server is not a process of this machine). */
  postgresCpuMsPerRequest: { product: number | null; floor: number | null };
}

export interface BenchFigures {
  startedAt: string;
  command: string;
  machine: Machine;
  settings: Record<string, string | number>;
  saturation: PhaseFigures;
  open: PhaseFigures;
  webhooks: TimedCalls;
  ai: TimedCalls & { providerDelayMs: number; overhead: { p50: number; p95: number; p99: number } };
  starts: { coldMs: number; warmMs: number };
  reminders: string;
  totalSeconds: number;
}

interface Check {
  name: string;
  target: string;
  measured: string;
  met: boolean;
}

const errorsOf = (result: LoadResult): number => result.errors + result.non2xx;

/** Product CPU per request over the floor's, against `bound` (issue #12: API ≤ 2×, PostgreSQL ≤ 1.5×). */
function cpuCheck(name: string, figures: { product: number | null; floor: number | null }, bound: number): Check {
  const { product, floor } = figures;
  if (product === null || floor === null || floor <= 0) {
    return { name, target: `≤ ${bound}× the floor`, measured: 'not measured (server not on this machine)', met: false };
  }
  const ratio = product / floor;
  return {
    name,
    target: `≤ ${bound}× the floor`,
    measured: `×${round(ratio, 2)} (${product} / ${floor} ms)`,
    met: ratio <= bound,
  };
}

export function checks(figures: BenchFigures): Check[] {
  const { saturation, open, webhooks, ai } = figures;
  const ratio = saturation.product.rps / Math.max(1, saturation.floor.rps);
  return [
    {
      name: 'Saturation: product / floor throughput',
      target: '≥ 60 %',
      measured: `${round(ratio * 100)} % (${saturation.product.rps} / ${saturation.floor.rps} req/s)`,
      met: ratio >= 0.6,
    },
    cpuCheck('Saturation: API CPU per request', saturation.cpuMsPerRequest, 2),
    cpuCheck('Saturation: PostgreSQL CPU per request', saturation.postgresCpuMsPerRequest, 1.5),
    {
      name: 'Saturation: product errors',
      target: '0',
      measured: String(errorsOf(saturation.product)),
      met: errorsOf(saturation.product) === 0,
    },
    {
      name: 'Saturation: API peak RSS',
      target: '< 250 MB',
      measured: `${saturation.apiRssMb} MB (VmHWM ${saturation.apiHwmMb} MB)`,
      met: saturation.apiHwmMb < 250,
    },
    {
      name: '1000 users: p95',
      target: '< 50 ms',
      measured: `${open.product.latency.p95} ms`,
      met: open.product.latency.p95 < 50,
    },
    {
      name: '1000 users: p99',
      target: '< 150 ms',
      measured: `${open.product.latency.p99} ms`,
      met: open.product.latency.p99 < 150,
    },
    {
      name: '1000 users: errors',
      target: '0',
      measured: String(errorsOf(open.product)),
      met: errorsOf(open.product) === 0,
    },
    {
      name: 'Webhook processing p95',
      target: '< 100 ms',
      measured: `${webhooks.latency.p95} ms (${webhooks.errors} errors)`,
      met: webhooks.latency.p95 < 100 && webhooks.errors === 0,
    },
    {
      name: 'AI endpoint overhead p95',
      target: '< 5 ms',
      measured: `${ai.overhead.p95} ms (${ai.errors} errors)`,
      met: ai.overhead.p95 < 5 && ai.errors === 0,
    },
  ];
}

function loadRow(name: string, result: LoadResult): string {
  const { latency } = result;
  return `| ${name} | ${result.rps} | ${result.requests} | ${latency.p50} | ${latency.p95} | ${latency.p99} | ${latency.max} | ${errorsOf(result)} |`;
}

function phaseTable(phase: PhaseFigures): string[] {
  const ratio = round((phase.product.rps / Math.max(1, phase.floor.rps)) * 100);
  const lines = [
    '| Server | req/s | requests | p50 ms | p95 ms | p99 ms | max ms | errors |',
    '|---|---|---|---|---|---|---|---|',
    loadRow('product (API)', phase.product),
    loadRow('floor (node:http + pg)', phase.floor),
    '',
    `Throughput ratio product / floor: **${ratio} %**. Server CPU per request: product ${phase.cpuMsPerRequest.product} ms, floor ${phase.cpuMsPerRequest.floor} ms; PostgreSQL CPU per request: product ${phase.postgresCpuMsPerRequest.product ?? '–'} ms, floor ${phase.postgresCpuMsPerRequest.floor ?? '–'} ms. API RSS: ${phase.apiRssMb} MB highest sample during the run, VmHWM ${phase.apiHwmMb} MB. Machine load average (1 min) ${phase.loadBefore} before, ${phase.loadAfter} after (2 CPUs; anything above ~2.5 besides the bench itself means other processes took CPU).`,
  ];
  for (const [name, result] of [
    ['product', phase.product],
    ['floor', phase.floor],
  ] as const) {
    if (errorsOf(result) > 0) {
      lines.push(
        `${name} statuses: ${JSON.stringify(result.statuses)}; errors ${result.errors} (timeouts ${result.timeouts}) ${result.errorSamples.join('; ')}`,
      );
    }
  }
  const kinds = Object.entries(phase.product.byKind);
  if (kinds.length > 0) {
    lines.push(
      '',
      '| Product request | count | p50 ms | p95 ms | p99 ms | floor p95 ms |',
      '|---|---|---|---|---|---|',
    );
    for (const [kind, summary] of kinds) {
      const floor = phase.floor.byKind[kind as keyof LoadResult['byKind']];
      lines.push(
        `| ${kind} | ${summary.count} | ${summary.p50} | ${summary.p95} | ${summary.p99} | ${floor?.p95 ?? '–'} |`,
      );
    }
  }
  return lines;
}

export const NOTES_MARKER =
  '<!-- Everything below this line is kept by `npm run bench`; the figures above are rewritten. -->';

/** The report; `previous` is the old RESULTS.md, whose notes (below NOTES_MARKER) are kept. */
export function renderReport(figures: BenchFigures, previousFile: string): string {
  const { machine, settings, saturation, open, webhooks, ai, starts } = figures;
  const previous = existsSync(previousFile) ? readFileSync(previousFile, 'utf8') : '';
  const notesAt = previous.indexOf(NOTES_MARKER);
  const notes = notesAt >= 0 ? previous.slice(notesAt + NOTES_MARKER.length).trimStart() : '## Notes\n';
  const lines = [
    '# Benchmark results',
    '',
    `Run \`${figures.command}\` at ${figures.startedAt} (${figures.totalSeconds} s in total).`,
    `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB memory, Node ${machine.node}; database: ${machine.database}.`,
    '',
    'Compare ratios over time, not absolute numbers: both servers run in the same run on the same machine and database.',
    '',
    '## Targets',
    '',
    '| Check | Target | Measured | Met |',
    '|---|---|---|---|',
    ...checks(figures).map(
      (check) => `| ${check.name} | ${check.target} | ${check.measured} | ${check.met ? 'yes' : '**NO**'} |`,
    ),
    '',
    '## Saturation (closed loop)',
    '',
    `autocannon, ${saturation.product.connections} connections firing back to back, ${saturation.product.durationSeconds} s after a ${settings.warmupSeconds} s warm-up; CRUD mix list 50 % / get 20 % / create 15 % / PATCH 15 %.`,
    '',
    ...phaseTable(saturation),
    '',
    '## 1000 concurrent users (open loop)',
    '',
    `${open.product.connections} keep-alive connections, one per user, each user one request every ${round(open.product.connections / Number(settings.openRate))} s at its own phase (fixed arrival rate ${settings.openRate} req/s), ${open.product.durationSeconds} s after a ${settings.warmupSeconds} s warm-up. Latency counts from the scheduled send time.`,
    '',
    ...phaseTable(open),
    '',
    '## Other figures',
    '',
    '| Figure | Value |',
    '|---|---|',
    `| Webhook processing (signed \`payment_captured\`, credit purchase), ${webhooks.latency.count} sequential | p50 ${webhooks.latency.p50} ms, p95 ${webhooks.latency.p95} ms, p99 ${webhooks.latency.p99} ms, ${webhooks.errors} errors |`,
    `| AI chat overhead over a fake provider answering in ${ai.providerDelayMs} ms, ${ai.latency.count} sequential calls of 20 users (each warmed by one call) | p50 ${ai.overhead.p50} ms, p95 ${ai.overhead.p95} ms, p99 ${ai.overhead.p99} ms, ${ai.errors} errors |`,
    `| Cold start (\`npm start\` style, empty DATA_DIR: initdb, migrations, API, runner) to /health/ready 200 | ${starts.coldMs} ms |`,
    `| Warm start (same DATA_DIR) to /health/ready 200 | ${starts.warmMs} ms |`,
    '',
    '### Reminder firing delay',
    '',
    figures.reminders,
    '',
    '## Settings',
    '',
    ...Object.entries(settings).map(([key, value]) => `- ${key}: ${value}`),
    ...[...webhooks.errorSamples, ...ai.errorSamples].map((sample) => `- error sample: ${sample}`),
    '',
    NOTES_MARKER,
    '',
    notes,
  ];
  return lines.join('\n');
}
