import { JOB_CATALOGUE, JOB_NAMES } from './job-catalogue';
import { parseSchedule } from './job-schedule';

const at = (iso: string): Date => new Date(iso);

describe('parseSchedule', () => {
  it('should find the latest slot of an hourly schedule', () => {
    const schedule = parseSchedule('30 * * * *');
    expect(schedule.latestSlot(at('2026-01-20T10:29:59.999Z'))).toEqual(at('2026-01-20T09:30:00Z'));
    expect(schedule.latestSlot(at('2026-01-20T10:30:00Z'))).toEqual(at('2026-01-20T10:30:00Z'));
    expect(schedule.latestSlot(at('2026-01-20T10:59:00Z'))).toEqual(at('2026-01-20T10:30:00Z'));
  });

  it('should find the latest midnight of a daily schedule across a month boundary', () => {
    expect(parseSchedule('0 0 * * *').latestSlot(at('2026-03-01T00:00:00Z'))).toEqual(at('2026-03-01T00:00:00Z'));
    expect(parseSchedule('0 0 * * *').latestSlot(at('2026-02-28T23:59:59Z'))).toEqual(at('2026-02-28T00:00:00Z'));
  });

  it('should step minutes and hours', () => {
    expect(parseSchedule('*/15 * * * *').latestSlot(at('2026-01-20T10:44:10Z'))).toEqual(at('2026-01-20T10:30:00Z'));
    expect(parseSchedule('10 3 * * *').latestSlot(at('2026-01-20T03:09:00Z'))).toEqual(at('2026-01-19T03:10:00Z'));
    expect(parseSchedule('0 8-18/2 * * *').latestSlot(at('2026-01-20T19:00:00Z'))).toEqual(at('2026-01-20T18:00:00Z'));
  });

  it('should support lists, months and weekdays (7 is Sunday)', () => {
    // 2026-01-18 is a Sunday.
    expect(parseSchedule('0 9 * * 7').latestSlot(at('2026-01-20T12:00:00Z'))).toEqual(at('2026-01-18T09:00:00Z'));
    expect(parseSchedule('0 9 * * 1,3').latestSlot(at('2026-01-20T12:00:00Z'))).toEqual(at('2026-01-19T09:00:00Z'));
    expect(parseSchedule('0 0 15 1 *').latestSlot(at('2026-01-20T12:00:00Z'))).toEqual(at('2026-01-15T00:00:00Z'));
  });

  it('should accept either restricted day field, as cron does', () => {
    // Day 20 or a Monday, whichever comes later before now.
    expect(parseSchedule('0 0 20 * 1').latestSlot(at('2026-01-21T12:00:00Z'))).toEqual(at('2026-01-20T00:00:00Z'));
  });

  it('should give sub-minute interval slots', () => {
    const schedule = parseSchedule('@every 30s');
    expect(schedule.latestSlot(at('2026-01-20T10:00:29.999Z'))).toEqual(at('2026-01-20T10:00:00Z'));
    expect(schedule.latestSlot(at('2026-01-20T10:00:30Z'))).toEqual(at('2026-01-20T10:00:30Z'));
  });

  it('should return null when nothing matches within the search window', () => {
    expect(parseSchedule('0 0 31 2 *').latestSlot(at('2026-03-05T00:00:00Z'))).toBeNull();
  });

  it.each(['* * * *', '60 * * * *', '5-1 * * * *', '*/0 * * * *', 'a * * * *', '@every 7s', '@every 0s'])(
    'should reject %s',
    (expression) => {
      expect(() => parseSchedule(expression)).toThrow(/Schedule/);
    },
  );

  it('should parse every schedule of the catalogue', () => {
    for (const name of JOB_NAMES) {
      for (const expression of JOB_CATALOGUE[name].schedules) {
        expect(parseSchedule(expression).latestSlot(new Date())).toBeInstanceOf(Date);
      }
    }
  });
});
