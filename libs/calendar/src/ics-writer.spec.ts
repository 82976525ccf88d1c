import { escapeText, foldLine, formatDateTime, formatMinutes, IcsWriter } from './ics-writer';

describe('escapeText', () => {
  it('should escape backslash, semicolon, comma and every kind of line break', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf\rg')).toBe('a\\\\b\\;c\\,d\\ne\\nf\\ng');
  });

  it('should leave colons and quotes alone (TEXT does not escape them)', () => {
    expect(escapeText('Time: "now"')).toBe('Time: "now"');
  });
});

describe('formatDateTime', () => {
  it('should write UTC basic format without milliseconds', () => {
    expect(formatDateTime(new Date('2026-01-19T10:30:05.123Z'))).toBe('20260119T103005Z');
  });
});

describe('formatMinutes', () => {
  it.each([
    [30, 'PT30M'],
    [-30, '-PT30M'],
    [60, 'PT1H'],
    [90, 'PT1H30M'],
    [1440, 'P1D'],
    [-1500, '-P1DT1H'],
    [43200, 'P30D'],
    [0, 'PT0M'],
  ])('should write %i minutes as %s', (minutes, expected) => {
    expect(formatMinutes(minutes)).toBe(expected);
  });
});

describe('foldLine', () => {
  const octets = (text: string): number => Buffer.byteLength(text, 'utf8');

  it('should keep a line of 75 octets whole', () => {
    const line = 'X'.repeat(75);
    expect(foldLine(line)).toBe(line);
  });

  it('should fold longer lines at 75 octets, continuation lines starting with a space', () => {
    const folded = foldLine('Y'.repeat(200));
    const lines = folded.split('\r\n');
    expect(lines.map(octets)).toEqual([75, 75, 52]);
    expect(lines.slice(1).every((line) => line.startsWith(' '))).toBe(true);
    expect(lines.map((line, i) => (i === 0 ? line : line.slice(1))).join('')).toBe('Y'.repeat(200));
  });

  it('should never split a multi-octet character', () => {
    const text = `SUMMARY:${'é😀'.repeat(40)}`;
    const lines = foldLine(text).split('\r\n');
    expect(lines.every((line) => octets(line) <= 75)).toBe(true);
    expect(lines.map((line, i) => (i === 0 ? line : line.slice(1))).join('')).toBe(text);
    expect(lines.every((line) => !line.includes('\uFFFD'))).toBe(true);
  });
});

describe(IcsWriter.name, () => {
  it('should write parameters, escaped text and CRLF-terminated lines', () => {
    const ics = new IcsWriter()
      .begin('VCALENDAR')
      .text('SUMMARY', 'Pay rent, now; really')
      .dateTime('DUE', new Date('2026-02-01T09:00:00.000Z'))
      .raw('TRIGGER', '-PT15M', { RELATED: 'END' })
      .end('VCALENDAR')
      .toString();
    expect(ics).toBe(
      'BEGIN:VCALENDAR\r\nSUMMARY:Pay rent\\, now\\; really\r\nDUE:20260201T090000Z\r\nTRIGGER;RELATED=END:-PT15M\r\nEND:VCALENDAR\r\n',
    );
  });
});
