import {
  CURSOR_LIFETIME_DAYS,
  decodeCursor,
  encodeCursor,
  isCursorExpired,
  START,
  TOMBSTONE_RETENTION_DAYS,
  tombstonePruneCutoff,
} from './sync-cursor';

const DAY_MS = 86_400_000;

describe('sync cursors', () => {
  const issuedAt = new Date('2026-03-01T10:00:00.000Z');

  it('should round-trip a position and its issue time (whole seconds)', () => {
    const cursor = encodeCursor({ txid: 123456789012n, seq: 42n }, new Date('2026-03-01T10:00:00.750Z'));
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ txid: 123456789012n, seq: 42n, issuedAt });
  });

  it('should encode the start position', () => {
    expect(decodeCursor(encodeCursor(START, issuedAt))).toEqual({ ...START, issuedAt });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['another shape', Buffer.from('v2.1.2.3').toString('base64url')],
    ['a negative number', Buffer.from('v1.-1.2.3').toString('base64url')],
    ['beyond bigint', Buffer.from(`v1.${2n ** 63n}.1.3`).toString('base64url')],
    ['too long', 'a'.repeat(201)],
  ])('should refuse %s', (_case, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });

  it('should expire a cursor a day before the tombstones it relies on are pruned', () => {
    const now = new Date(issuedAt.getTime() + CURSOR_LIFETIME_DAYS * DAY_MS);
    expect(isCursorExpired(issuedAt, now)).toBe(false);
    expect(isCursorExpired(issuedAt, new Date(now.getTime() + 1000))).toBe(true);
    expect(tombstonePruneCutoff(now).getTime()).toBe(now.getTime() - TOMBSTONE_RETENTION_DAYS * DAY_MS);
    expect(tombstonePruneCutoff(now) < issuedAt).toBe(true);
  });
});
