import { redactUrl } from './logger-options';

describe('redactUrl', () => {
  it('should hide every query value, keeping the names', () => {
    expect(redactUrl('/api/v1/ws/voice/transcribe?token=eyJabc.def&language=en')).toBe(
      '/api/v1/ws/voice/transcribe?token=[redacted]&language=[redacted]',
    );
    expect(redactUrl('/x?a=1&access_token=zzz&flag')).toBe('/x?a=[redacted]&access_token=[redacted]&flag');
    expect(redactUrl('/plain')).toBe('/plain');
  });

  it('should hide the calendar feed secret in the path', () => {
    expect(redactUrl('/api/v1/calendar-feed/q3Jc0n8cV2m5vE1x9pZr7tYb4sKd6fHw2LgA0uNeQiM.ics')).toBe(
      '/api/v1/calendar-feed/[redacted].ics',
    );
    expect(redactUrl('/API/V1/Calendar-Feed/abc.ics?x=1')).toBe('/API/V1/Calendar-Feed/[redacted].ics?x=[redacted]');
  });
});
