import { CORPUS_NOW, CORPUS_TIME_ZONE, CorpusExpectation, QUICK_ADD_CORPUS } from './quick-add-corpus';
import { parseQuickAdd, QuickAddParse } from './quick-add-parser';
import { wallClockAt } from './zoned-time';

const context = { now: CORPUS_NOW, timeZone: CORPUS_TIME_ZONE };
/** Share of the corpus that must read exactly as expected (the measured rate is printed). */
const MIN_PASS_RATE = 0.95;

function localText(instant: Date): string {
  const wall = wallClockAt(instant, CORPUS_TIME_ZONE);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)} ${pad(wall.hour)}:${pad(wall.minute)}`;
}

function observed(parse: QuickAddParse): Required<CorpusExpectation> {
  return {
    title: parse.title,
    due: parse.due_date ? localText(parse.due_date) : '',
    priority: parse.priority ?? ('' as never),
    rrule: parse.recurrence?.rrule ?? '',
    duration: parse.estimated_duration ?? 0,
    reminders: parse.spans.filter((span) => span.kind === 'reminder').map((span) => span.value),
  };
}

function expectedOf(expected: CorpusExpectation): Required<CorpusExpectation> {
  return {
    title: expected.title,
    due: expected.due ?? '',
    priority: expected.priority ?? ('' as never),
    rrule: expected.rrule ?? '',
    duration: expected.duration ?? 0,
    reminders: expected.reminders ?? [],
  };
}

describe(parseQuickAdd.name, () => {
  it('should hold at least 200 phrases', () => {
    expect(QUICK_ADD_CORPUS.length).toBeGreaterThanOrEqual(200);
  });

  // Parse time is measured by `npm run bench:quick-add`, not asserted here.
  it(`should read at least ${MIN_PASS_RATE * 100} % of the corpus exactly`, () => {
    const failures: string[] = [];
    for (const [text, expected] of QUICK_ADD_CORPUS) {
      const got = observed(parseQuickAdd(text, context));
      if (JSON.stringify(got) !== JSON.stringify(expectedOf(expected)))
        failures.push(`${text} → ${JSON.stringify(got)}`);
    }
    expect(failures.length).toBeLessThanOrEqual(Math.floor(QUICK_ADD_CORPUS.length * (1 - MIN_PASS_RATE)));
  });

  it('should leave every plain title untouched', () => {
    for (const title of ['Read 1984', 'Call May', 'Watch Apollo 13', 'Call April', 'Pay invoice #4521']) {
      expect(parseQuickAdd(title, context)).toEqual({
        title,
        priority: null,
        due_date: null,
        estimated_duration: null,
        recurrence: null,
        reminders: [],
        spans: [],
      });
    }
  });

  it('should report every recognised span with its position in the original text', () => {
    const text = 'Call mom tomorrow 5pm every sunday !high remind me 30m before';
    expect(parseQuickAdd(text, context)).toEqual({
      title: 'Call mom',
      priority: 'high',
      due_date: new Date('2026-12-06T22:00:00.000Z'),
      estimated_duration: null,
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=SU', dtstart: new Date('2026-12-04T22:00:00.000Z') },
      reminders: [{ type: 'before', offset_minutes: 30 }],
      spans: [
        { start: 9, end: 21, kind: 'date', text: 'tomorrow 5pm', value: '2026-12-06T22:00:00.000Z' },
        { start: 22, end: 34, kind: 'recurrence', text: 'every sunday', value: 'FREQ=WEEKLY;BYDAY=SU' },
        { start: 35, end: 40, kind: 'priority', text: '!high', value: 'high' },
        { start: 41, end: 61, kind: 'reminder', text: 'remind me 30m before', value: 'before:30' },
      ],
    });
  });

  it('should read dates in the given time zone', () => {
    const tokyo = parseQuickAdd('Call mom tomorrow 9am', { now: CORPUS_NOW, timeZone: 'Asia/Tokyo' });
    expect(tokyo.due_date).toEqual(new Date('2026-12-05T00:00:00.000Z'));
  });
});
