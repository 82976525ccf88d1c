import { redactUrl } from './logger-options';

describe('redactUrl', () => {
  it('should hide tokens passed in query strings', () => {
    expect(redactUrl('/api/v1/ws/voice/transcribe?token=eyJabc.def&language=en')).toBe(
      '/api/v1/ws/voice/transcribe?token=[redacted]&language=en',
    );
    expect(redactUrl('/x?a=1&access_token=zzz')).toBe('/x?a=1&access_token=[redacted]');
    expect(redactUrl('/plain')).toBe('/plain');
  });
});
