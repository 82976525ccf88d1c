/**
 * Changes-feed cursors (docs/sync.md): an opaque base64url string carrying the position of the
 * last change handed out — (writing transaction, sequence within it) — and when it was issued.
 * Positions only ever move forward; a cursor older than the tombstone retention is refused.
 */
export interface SyncPosition {
  /** `pg_current_xact_id()` of the change's transaction. */
  txid: bigint;
  /** `sync_change_seq` value of the change. */
  seq: bigint;
}

export interface SyncCursor extends SyncPosition {
  issuedAt: Date;
}

/** Deleted entities stay in the log this long; a client offline for longer must resynchronise. */
export const TOMBSTONE_RETENTION_DAYS = 90;
/** Cursors stay usable a day less than tombstones live (covers long-running transactions). */
export const CURSOR_LIFETIME_DAYS = TOMBSTONE_RETENTION_DAYS - 1;

const DAY_MS = 86_400_000;
const VERSION = 'v1';
const CURSOR_PATTERN = /^v1\.(\d{1,19})\.(\d{1,19})\.(\d{1,12})$/;
/** Bigint columns hold at most this. */
const MAX_POSITION = 2n ** 63n - 1n;

/** The position before every change: a client without a cursor receives the whole current state. */
export const START: SyncPosition = { txid: 0n, seq: 0n };

export function encodeCursor(position: SyncPosition, issuedAt: Date): string {
  const text = `${VERSION}.${position.txid}.${position.seq}.${Math.floor(issuedAt.getTime() / 1000)}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** Parses a cursor; null when it is not one this server issued (wrong shape or out of range). */
export function decodeCursor(cursor: string): SyncCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) return null;
  const txid = BigInt(match[1]);
  const seq = BigInt(match[2]);
  if (txid > MAX_POSITION || seq > MAX_POSITION) return null;
  return { txid, seq, issuedAt: new Date(Number(match[3]) * 1000) };
}

/** Whether a cursor issued at `issuedAt` may still be followed at `now` (tombstones it needs still exist). */
export function isCursorExpired(issuedAt: Date, now: Date): boolean {
  return issuedAt.getTime() < now.getTime() - CURSOR_LIFETIME_DAYS * DAY_MS;
}

/** Tombstones that changed before this instant may be pruned. */
export function tombstonePruneCutoff(now: Date): Date {
  return new Date(now.getTime() - TOMBSTONE_RETENTION_DAYS * DAY_MS);
}
