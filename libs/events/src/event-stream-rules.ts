/** Open streams per user on one API instance (docs/events.md §2). */
export const MAX_STREAMS_PER_USER = 5;
/** A stream ticket is valid this long, and once (docs/events.md §1). */
export const TICKET_LIFETIME_MS = 60_000;
/** Changes per `changes` event: one page of the changes feed. */
export const CHANGES_PER_EVENT = 100;
/** What the browser waits before reconnecting (`retry:`). */
export const RECONNECT_MS = 3000;
/**
 * Re-reads after a notification that found nothing: a change is readable only once every older
 * transaction has finished (docs/sync.md), so it can trail its own notification.
 */
export const NOTIFIED_RETRY_DELAYS_MS = [50, 100, 200, 400, 800];

/** The `user_events` channel's payload: `c:<user id>` (changes) or `n:<user id>:<notification id>`. */
export type UserEvent = { kind: 'changes'; userId: string } | { kind: 'notification'; userId: string; id: string };

export function parseUserEvent(payload: string): UserEvent | null {
  const [kind, userId, id] = payload.split(':');
  if (kind === 'c' && userId) return { kind: 'changes', userId };
  if (kind === 'n' && userId && id) return { kind: 'notification', userId, id };
  return null;
}

/** One server-sent event (text/event-stream framing; data is one JSON line). */
export function sseEvent(event: string, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
