/**
 * Guards for tests whose expectations hold within one wall-clock period: rate-limit windows are
 * aligned to the minute (docs/api.md §1.12) and daily rules to the UTC day (docs/rules.md). A test
 * calls one before its timed part so that part cannot straddle two periods, however loaded the
 * machine is: when less than `needMs` is left of the current period, it waits for the next one.
 */
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 3600_000;

async function awayFromEdge(periodMs: number, needMs: number): Promise<void> {
  const left = periodMs - (Date.now() % periodMs);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

/** At least `needMs` (default 20 s) left in the current rate-limit minute. */
export function awayFromMinuteEdge(needMs = 20_000): Promise<void> {
  return awayFromEdge(MINUTE_MS, needMs);
}

/** At least `needMs` (default 20 s) left before the next UTC midnight. */
export function awayFromUtcMidnight(needMs = 20_000): Promise<void> {
  return awayFromEdge(DAY_MS, needMs);
}
