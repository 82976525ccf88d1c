/** A session counts at most 12 hours (docs/rules.md §3.4). */
export const MAX_FOCUS_SESSION_SECONDS = 43_200;

/** Server-measured duration of a session in whole seconds, between 0 and the 12-hour cap. */
export function focusDurationSeconds(startedAt: Date, endedAt: Date): number {
  const seconds = Math.floor((endedAt.getTime() - startedAt.getTime()) / 1000);
  return Math.min(MAX_FOCUS_SESSION_SECONDS, Math.max(0, seconds));
}
