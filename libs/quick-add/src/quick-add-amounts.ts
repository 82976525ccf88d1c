/** A spoken amount of time ("30m", "1.5 hours", "1h30m", "an hour", "half an hour") in minutes. */
export const AMOUNT_PATTERN =
  '(?:\\d+\\s*h(?:ours?|rs?)?\\s*(?:and\\s+)?\\d+\\s*m(?:in(?:ute)?s?)?|\\d+(?:\\.\\d+)?\\s*(?:minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wk?s?)|an?\\s+(?:minute|hour|day|week)|half\\s+an?\\s+hour)';

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1_440, w: 10_080 };

/** Minutes of an `AMOUNT_PATTERN` match, rounded to whole minutes. */
export function amountMinutes(amount: string): number {
  const text = amount.toLowerCase().trim();
  if (/^half\s+an?\s+hour$/.test(text)) return 30;
  const article = /^an?\s+(minute|hour|day|week)$/.exec(text);
  if (article) return UNIT_MINUTES[article[1].charAt(0)];
  const compound = /^(\d+)\s*h\D*?(\d+)\s*m/.exec(text);
  if (compound) return Number(compound[1]) * 60 + Number(compound[2]);
  const single = /^(\d+(?:\.\d+)?)\s*([a-z])/.exec(text) as RegExpExecArray;
  return Math.round(Number(single[1]) * UNIT_MINUTES[single[2]]);
}
