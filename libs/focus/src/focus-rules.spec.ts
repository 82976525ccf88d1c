import { focusDurationSeconds, MAX_FOCUS_SESSION_SECONDS } from './focus-rules';

describe(focusDurationSeconds.name, () => {
  const start = new Date('2026-01-19T10:00:00.000Z');

  it('should count whole elapsed seconds', () => {
    expect(focusDurationSeconds(start, new Date('2026-01-19T10:25:00.999Z'))).toBe(1500);
  });

  it('should cap a session at 12 hours', () => {
    expect(focusDurationSeconds(start, new Date('2026-01-20T10:00:00.000Z'))).toBe(MAX_FOCUS_SESSION_SECONDS);
  });

  it('should never be negative when the clock went backwards', () => {
    expect(focusDurationSeconds(start, new Date('2026-01-19T09:59:00.000Z'))).toBe(0);
  });
});
