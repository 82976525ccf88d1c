import { codePointLength, parseTimestamp } from './validators';

describe('parseTimestamp', () => {
  it.each([
    ['2026-01-19T10:30:00.000Z', '2026-01-19T10:30:00.000Z'],
    ['2026-01-19T10:30:00Z', '2026-01-19T10:30:00.000Z'],
    ['2026-01-19T12:30:00+02:00', '2026-01-19T10:30:00.000Z'],
    ['2026-01-19T05:30:00-0500', '2026-01-19T10:30:00.000Z'],
    ['2026-01-19T10:30:00', '2026-01-19T10:30:00.000Z'],
    ['2026-01-19T10:30:00.123456Z', '2026-01-19T10:30:00.123Z'],
    ['2026-01-19T10:30', '2026-01-19T10:30:00.000Z'],
  ])('should read %s as %s', (input, expected) => {
    expect(parseTimestamp(input)?.toISOString()).toBe(expected);
  });

  it.each(['2026-01-19', 'yesterday', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', ''])(
    'should reject %s',
    (input) => {
      expect(parseTimestamp(input)).toBeUndefined();
    },
  );
});

describe('codePointLength', () => {
  it('should count code points, not UTF-16 units', () => {
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀😀')).toBe(2);
    expect(codePointLength('')).toBe(0);
  });
});
