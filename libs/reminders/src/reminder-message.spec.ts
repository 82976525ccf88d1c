import { formatOffset, reminderBody, shortTitle } from './reminder-message';

describe('reminderBody', () => {
  it('should say how long until the due date for before reminders', () => {
    expect(reminderBody('before', 45, 'Write report')).toBe("'Write report' is due in 45 minutes");
  });

  it('should say how long ago the due date was for after reminders', () => {
    expect(reminderBody('after', 120, 'Write report')).toBe("'Write report' was due 2 hours ago");
  });

  it('should name the task for absolute reminders', () => {
    expect(reminderBody('absolute', null, 'Write report')).toBe("Reminder for 'Write report'");
  });

  it('should fall back to the absolute wording when a relative reminder has no offset', () => {
    expect(reminderBody('before', null, 'Call')).toBe("Reminder for 'Call'");
  });
});

describe('formatOffset', () => {
  it.each([
    [1, '1 minute'],
    [59, '59 minutes'],
    [60, '1 hour'],
    [61, '1 hour 1 minute'],
    [90, '1 hour 30 minutes'],
    [120, '2 hours'],
    [150, '2 hours 30 minutes'],
    [43_200, '720 hours'],
  ])('should write %i minutes as %s', (minutes, text) => {
    expect(formatOffset(minutes)).toBe(text);
  });
});

describe('shortTitle', () => {
  it('should keep titles of up to 50 characters', () => {
    const title = 'x'.repeat(50);
    expect(shortTitle(title)).toBe(title);
  });

  it('should cut longer titles to 47 characters and three dots', () => {
    expect(shortTitle('y'.repeat(51))).toBe(`${'y'.repeat(47)}...`);
  });

  it('should count code points, not UTF-16 units', () => {
    const title = '😀'.repeat(50);
    expect(shortTitle(title)).toBe(title);
    expect(shortTitle('😀'.repeat(51))).toBe(`${'😀'.repeat(47)}...`);
  });
});
