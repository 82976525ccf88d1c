import { canonicalTimeZone } from './time-zone';

describe(canonicalTimeZone.name, () => {
  it.each(['UTC', 'Europe/London', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'Asia/Kolkata'])(
    'should accept %s as is',
    (zone) => {
      expect(canonicalTimeZone(zone)).toBe(zone);
    },
  );

  it('should normalise letter case', () => {
    expect(canonicalTimeZone('europe/london')).toBe('Europe/London');
    expect(canonicalTimeZone('utc')).toBe('UTC');
  });

  it('should keep a known alias as sent', () => {
    expect(canonicalTimeZone('US/Eastern')).toBe('US/Eastern');
  });

  it.each(['Mars/Olympus', 'Europe/Londn', '+01:00', 'UTC+1', '', ' UTC', 'Europe/London\u0000'])(
    'should reject %j',
    (zone) => {
      expect(canonicalTimeZone(zone)).toBeUndefined();
    },
  );
});
