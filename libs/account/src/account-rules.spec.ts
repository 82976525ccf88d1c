import {
  confirmsDeletion,
  exportExpiresAt,
  exportFileName,
  isExportExpired,
  paymentRecordRetainUntil,
} from './account-rules';

describe('account rules', () => {
  const now = new Date('2026-01-19T10:30:00.000Z');

  it('should keep a ready export for 24 hours and treat it as gone from then on', () => {
    const expiresAt = exportExpiresAt(now);
    expect(expiresAt).toEqual(new Date('2026-01-20T10:30:00.000Z'));
    expect(isExportExpired(expiresAt, new Date(expiresAt.getTime() - 1))).toBe(false);
    expect(isExportExpired(expiresAt, expiresAt)).toBe(true);
    expect(isExportExpired(null, now)).toBe(false);
  });

  it('should keep payment records for ten years after the deletion', () => {
    expect(paymentRecordRetainUntil(now)).toEqual(new Date('2036-01-19T10:30:00.000Z'));
  });

  it.each([
    ['Ada@Example.com', true],
    ['  ada@example.com ', true],
    ['ada@example.org', false],
    ['DELETE MY ACCOUNT', false],
    ['', false],
  ])('should accept %j as confirmation for ada@example.com: %s', (confirm, expected) => {
    expect(confirmsDeletion(confirm, 'ada@example.com')).toBe(expected);
  });

  it('should name the file after the export day', () => {
    expect(exportFileName(now)).toBe('perpetua-flow-export-2026-01-19.json');
  });
});
