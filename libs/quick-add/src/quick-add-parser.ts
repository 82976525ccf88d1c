import * as chrono from 'chrono-node';
import type { ReminderType, TaskPriority } from '@app/core/database/enums';
import { occurrenceAfter } from '@app/tasks/templates/recurrence';
import { AMOUNT_PATTERN, amountMinutes } from './quick-add-amounts';
import { findRecurrence, toUtcRrule } from './quick-add-recurrence';
import { instantOf, WallClock, wallClockAt, zoneOffsetMinutes } from './zoned-time';

export const QUICK_ADD_SPAN_KINDS = ['date', 'recurrence', 'priority', 'reminder', 'duration'] as const;
export type QuickAddSpanKind = (typeof QUICK_ADD_SPAN_KINDS)[number];

/**
 * A recognised part of the text (`end` exclusive). `value`: date → ISO instant, recurrence → RRULE,
 * priority → low/medium/high, duration → minutes, reminder → `before:30`, `after:15` or `at:<ISO>`.
 */
export interface QuickAddSpan {
  start: number;
  end: number;
  kind: QuickAddSpanKind;
  text: string;
  value: string;
}

export interface QuickAddReminder {
  type: ReminderType;
  offset_minutes?: number;
  scheduled_at?: Date;
}

export interface QuickAddParse {
  title: string;
  priority: TaskPriority | null;
  /** The task's due date; for a recurrence, the first instance's. */
  due_date: Date | null;
  estimated_duration: number | null;
  recurrence: { rrule: string; dtstart: Date } | null;
  reminders: QuickAddReminder[];
  spans: QuickAddSpan[];
}

export interface QuickAddContext {
  now: Date;
  timeZone: string;
}

/** Longest estimate a task takes (`estimated_duration` 1–720 minutes). */
const MAX_DURATION_MINUTES = 720;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DEFAULT_TIME = { hour: 9, minute: 0 };
// Words after which chrono's implied hour is what the user meant ("tomorrow morning" = 06:00).
const TIME_OF_DAY_WORDS = /\b(morning|noon|afternoon|evening|tonight|night|midnight|lunch)\b/i;
const EDGE_CONNECTORS =
  /^(?:(?:on|at|by|due|from|starting|until|every|each|and|in|for)\b|[,;:@&+-])\s*|\s*(?:\b(?:on|at|by|due|from|starting|until|every|each|and|in|for)|[,;:@&+-])$/i;

const bounded = (source: string): RegExp => new RegExp(`(?<![\\p{L}\\p{N}_!])(?:${source})(?![\\p{L}\\p{N}_])`, 'giu');
const RELATIVE_REMINDER = bounded(
  `remind(?:\\s+me)?\\s+(${AMOUNT_PATTERN})\\s+(before|early|earlier|ahead|prior|after|later)|remind(?:\\s+me)?\\s+in\\s+(${AMOUNT_PATTERN})`,
);
const ABSOLUTE_REMINDER = /(?<![\p{L}\p{N}_])remind(?:\s+me)?\s+(?=(?:at|on|tomorrow|tonight|today|next)\b)/giu;
const DURATION = bounded(`for\\s+(${AMOUNT_PATTERN})`);
const PRIORITY = bounded('!(high|hi|h|medium|med|m|low|lo|l|[1-3])|p([1-4])');
const PRIORITY_WORDS: Record<string, TaskPriority> = {
  h: 'high',
  m: 'medium',
  l: 'low',
  1: 'high',
  2: 'medium',
  3: 'low',
};
const P_LEVELS: Record<string, TaskPriority> = { 1: 'high', 2: 'medium', 3: 'low', 4: 'low' };
const AFTER_WORDS = new Set(['after', 'later']);

type ChronoResult = chrono.ParsedResult;

const blank = (text: string, start: number, end: number): string =>
  text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);

/** Collects spans and blanks them out of the text (indices stay those of the original). */
class SpanCollector {
  readonly spans: QuickAddSpan[] = [];
  masked: string;

  constructor(private readonly text: string) {
    this.masked = text;
    this.dateText = text;
  }

  /** What chrono reads: the masked text without the shielded words. */
  dateText: string;

  take(start: number, end: number, kind: QuickAddSpanKind, value: string): void {
    this.spans.push({ start, end, kind, text: this.text.slice(start, end), value });
    this.masked = blank(this.masked, start, end);
    this.dateText = blank(this.dateText, start, end);
  }

  /** Keeps words in the title but away from the date parser ("for 3 days" is no estimate and no date). */
  shield(start: number, end: number): void {
    this.dateText = blank(this.dateText, start, end);
  }

  each(pattern: RegExp, take: (match: RegExpExecArray) => void): void {
    for (const match of [...this.masked.matchAll(pattern)]) take(match);
  }
}

/**
 * Reads a quick-add sentence (docs/quick-add.md): reminders, duration, priority and recurrence by
 * pattern, then the date by chrono on what is left; the rest is the title. Pure and deterministic
 * for a given `now` and zone.
 */
export function parseQuickAdd(text: string, context: QuickAddContext): QuickAddParse {
  const collector = new SpanCollector(text);
  const relativeReminders = collectRelativeReminders(collector, context.now);
  const absoluteReminders = collectAbsoluteReminderStarts(collector, context);
  const estimated_duration = collectDuration(collector);
  const priority = collectPriority(collector);
  const found = findRecurrence(collector.masked);
  let timeWord: string | undefined;
  if (found) {
    collector.take(found.index, found.index + found.length, 'recurrence', '');
    timeWord = TIME_OF_DAY_WORDS.exec(text.slice(found.index, found.index + found.length))?.[0];
  }
  const when = resolveWhen(dateResults(collector, context), context, { recurring: found !== null, timeWord });
  for (const result of when.results) collector.take(result.index, result.index + result.text.length, 'date', '');

  let due_date = when.instant;
  let recurrence: QuickAddParse['recurrence'] = null;
  if (found) {
    const dtstart = when.recurrenceStart;
    const rrule = toUtcRrule(found.recurrence, utcDayShift(dtstart, context.timeZone));
    recurrence = { rrule, dtstart };
    due_date = occurrenceAfter(rrule, dtstart, context.now);
    setValue(collector.spans, 'recurrence', rrule);
  }
  if (due_date) setValue(collector.spans, 'date', due_date.toISOString());

  const reminders = [...relativeReminders, ...absoluteReminders.resolve(collector, due_date)];
  return {
    title: titleOf(collector.masked),
    priority,
    due_date,
    estimated_duration,
    recurrence,
    reminders,
    spans: [...collector.spans].sort((a, b) => a.start - b.start),
  };
}

function setValue(spans: QuickAddSpan[], kind: QuickAddSpanKind, value: string): void {
  for (const span of spans) if (span.kind === kind) span.value = value;
}

function collectRelativeReminders(collector: SpanCollector, now: Date): QuickAddReminder[] {
  const reminders: QuickAddReminder[] = [];
  collector.each(RELATIVE_REMINDER, (match) => {
    const end = match.index + match[0].length;
    if (match[3] !== undefined) {
      const scheduled_at = new Date(now.getTime() + amountMinutes(match[3]) * MINUTE_MS);
      reminders.push({ type: 'absolute', scheduled_at });
      collector.take(match.index, end, 'reminder', `at:${scheduled_at.toISOString()}`);
      return;
    }
    const type = AFTER_WORDS.has(match[2].toLowerCase()) ? 'after' : 'before';
    const offset_minutes = amountMinutes(match[1]);
    reminders.push({ type, offset_minutes });
    collector.take(match.index, end, 'reminder', `${type}:${offset_minutes}`);
  });
  return reminders;
}

/** "remind me at 4pm": the time is read now, its day once the due date is known. */
function collectAbsoluteReminderStarts(collector: SpanCollector, context: QuickAddContext) {
  const pending: { start: number; end: number; result: ChronoResult }[] = [];
  collector.each(ABSOLUTE_REMINDER, (match) => {
    const from = match.index + match[0].length;
    const [result] = chronoParse(collector.masked.slice(from), context);
    if (!result || result.index !== 0) return;
    const end = from + result.text.length;
    pending.push({ start: match.index, end, result });
    collector.masked = blank(collector.masked, match.index, end);
    collector.dateText = blank(collector.dateText, match.index, end);
  });
  return {
    resolve(target: SpanCollector, dueDate: Date | null): QuickAddReminder[] {
      return pending.map(({ start, end, result }) => {
        const scheduled_at = reminderInstant(result, dueDate, context);
        target.take(start, end, 'reminder', `at:${scheduled_at.toISOString()}`);
        return { type: 'absolute' as const, scheduled_at };
      });
    },
  };
}

function reminderInstant(result: ChronoResult, dueDate: Date | null, context: QuickAddContext): Date {
  const wall = wallOf(result);
  if (dueDate && !hasDay(result)) {
    const dueWall = wallClockAt(dueDate, context.timeZone);
    return instantOf({ ...dueWall, hour: wall.hour, minute: wall.minute }, context.timeZone);
  }
  return instantOf(wall, context.timeZone);
}

function collectDuration(collector: SpanCollector): number | null {
  let minutes: number | null = null;
  collector.each(DURATION, (match) => {
    const value = amountMinutes(match[1]);
    if (value < 1 || value > MAX_DURATION_MINUTES) return collector.shield(match.index, match.index + match[0].length);
    minutes = value;
    collector.take(match.index, match.index + match[0].length, 'duration', String(value));
  });
  return minutes;
}

function collectPriority(collector: SpanCollector): TaskPriority | null {
  let priority: TaskPriority | null = null;
  collector.each(PRIORITY, (match) => {
    const level = match[1] !== undefined ? PRIORITY_WORDS[match[1].charAt(0).toLowerCase()] : P_LEVELS[match[2]];
    priority = level;
    collector.take(match.index, match.index + match[0].length, 'priority', level);
  });
  return priority;
}

/**
 * chrono's results, without a bare month name ("Call May", "Call April at 5pm"): the name is
 * shielded and the text read again.
 */
function dateResults(collector: SpanCollector, context: QuickAddContext): ChronoResult[] {
  for (;;) {
    const results = chronoParse(collector.dateText, context);
    const bareMonth = results.find((result) => result.start.isCertain('month') && !result.start.isCertain('day'));
    if (!bareMonth) return results;
    const name = /^\p{L}+/u.exec(bareMonth.text)?.[0] ?? bareMonth.text;
    collector.shield(bareMonth.index, bareMonth.index + name.length);
  }
}

function chronoParse(text: string, context: QuickAddContext): ChronoResult[] {
  const reference = { instant: context.now, timezone: zoneOffsetMinutes(context.now, context.timeZone) };
  return chrono.parse(text, reference, { forwardDate: true });
}

const hasDay = (result: ChronoResult): boolean =>
  result.start.isCertain('day') || result.start.isCertain('weekday') || result.start.isCertain('month');
const hasTime = (result: ChronoResult): boolean => result.start.isCertain('hour');

function wallOf(result: ChronoResult): WallClock {
  const get = (component: chrono.Component): number => result.start.get(component) ?? 0;
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

interface When {
  results: ChronoResult[];
  instant: Date | null;
  recurrenceStart: Date;
}

/**
 * The date and time of day: chrono's first result, joined by a time-only one when it carries no
 * time ("friday … 5pm"). Without a time: 09:00, or chrono's hour after a time-of-day word.
 */
function resolveWhen(
  results: ChronoResult[],
  context: QuickAddContext,
  series: { recurring: boolean; timeWord?: string },
): When {
  const dated = results.find((result) => hasDay(result)) ?? results.find((result) => !hasTime(result));
  const timed = results.find(hasTime);
  const used = [dated, timed].filter(
    (result, index, all): result is ChronoResult => !!result && all.indexOf(result) === index,
  );
  const base = dated ?? timed;
  const today = wallClockAt(context.now, context.timeZone);
  const day = base ? wallOf(base) : today;
  const timeSource =
    base && TIME_OF_DAY_WORDS.test(base.text)
      ? base
      : series.timeWord
        ? chronoParse(series.timeWord, context)[0]
        : undefined;
  const time = timed ? wallOf(timed) : timeSource ? wallOf(timeSource) : DEFAULT_TIME;
  const wall = { year: day.year, month: day.month, day: day.day, hour: time.hour, minute: time.minute };
  let start = instantOf(wall, context.timeZone);
  // A series with no date starts at the next time its time of day comes round.
  if (series.recurring && !dated && start.getTime() <= context.now.getTime()) {
    start = instantOf({ ...wall, day: wall.day + 1 }, context.timeZone);
  }
  return { results: used, instant: base ? start : null, recurrenceStart: start };
}

/** +1 when the instant's UTC date is a day after its local date, −1 a day before. */
function utcDayShift(instant: Date, timeZone: string): number {
  const local = wallClockAt(instant, timeZone);
  const utcDay = Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate());
  return Math.round((utcDay - Date.UTC(local.year, local.month - 1, local.day)) / DAY_MS);
}

function titleOf(masked: string): string {
  let title = masked.replace(/\s+/g, ' ').trim();
  for (let previous = ''; previous !== title;) {
    previous = title;
    title = title.replace(EDGE_CONNECTORS, '').trim();
  }
  return title;
}
