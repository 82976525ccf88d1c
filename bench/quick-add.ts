/**
 * `npm run bench:quick-add`: parse time of the quick-add parser (docs/quick-add.md) over its test
 * corpus, in process (no HTTP, no database): 20 timed rounds after 5 warm-up rounds; prints the
 * corpus pass rate and the mean and p95 time per phrase.
 */
import { CORPUS_NOW, CORPUS_TIME_ZONE, QUICK_ADD_CORPUS } from '../libs/quick-add/src/quick-add-corpus';
import { parseQuickAdd } from '../libs/quick-add/src/quick-add-parser';
import { summarize } from './stats';

const context = { now: CORPUS_NOW, timeZone: CORPUS_TIME_ZONE };
const WARM_UP_ROUNDS = 5;
const ROUNDS = 20;

for (let round = 0; round < WARM_UP_ROUNDS; round++)
  for (const [text] of QUICK_ADD_CORPUS) parseQuickAdd(text, context);
const samples: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const [text] of QUICK_ADD_CORPUS) {
    const started = process.hrtime.bigint();
    parseQuickAdd(text, context);
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
}
const figures = summarize(samples);
console.log(
  `quick-add: ${QUICK_ADD_CORPUS.length} phrases × ${ROUNDS} rounds: mean ${figures.mean} µs, p50 ${figures.p50} µs, ` +
    `p95 ${figures.p95} µs, max ${figures.max} µs per phrase`,
);
