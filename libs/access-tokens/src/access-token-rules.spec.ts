import {
  aiSession,
  generateAccessTokenSecret,
  isAccessTokenSecret,
  lastUseIsStale,
  missingScope,
  requiredScope,
  tokenHint,
} from './access-token-rules';

describe('access-token-rules', () => {
  it('should generate distinct prefixed secrets that it recognises', () => {
    const a = generateAccessTokenSecret();
    const b = generateAccessTokenSecret();
    expect(a).not.toBe(b);
    expect(isAccessTokenSecret(a)).toBe(true);
    expect(isAccessTokenSecret(`${a}x`)).toBe(false);
    expect(isAccessTokenSecret(a.replace('pf_pat_', 'pf_xyz_'))).toBe(false);
    expect(tokenHint(a)).toBe(a.slice(0, 11));
  });

  it.each([
    [undefined, 'GET', 'read'],
    [undefined, 'head', 'read'],
    [undefined, 'POST', 'write'],
    [undefined, 'DELETE', 'write'],
    ['ai', 'POST', 'ai'],
    ['session', 'GET', 'session'],
  ] as const)('should require %s on %s as %s', (rule, method, expected) => {
    expect(requiredScope(rule, method)).toBe(expected);
  });

  it('should name what a token lacks', () => {
    expect(missingScope(['read'], 'read')).toBeNull();
    expect(missingScope(['read'], 'write')).toBe('write');
    expect(missingScope(['read', 'write', 'ai'], 'session')).toBe('session');
    expect(missingScope([], 'tool')).toBeNull();
  });

  it('should write last_used_at at most once a minute', () => {
    const now = new Date('2026-01-19T10:30:00.000Z');
    expect(lastUseIsStale(null, now)).toBe(true);
    expect(lastUseIsStale(new Date('2026-01-19T10:29:00.001Z'), now)).toBe(false);
    expect(lastUseIsStale(new Date('2026-01-19T10:29:00.000Z'), now)).toBe(true);
  });

  it('should give each hour its own AI session, ending no later than the token', () => {
    const now = new Date('2026-01-19T10:30:00.000Z');
    const hour = Math.floor(now.getTime() / 3_600_000);
    expect(aiSession('t1', null, now)).toEqual({
      tokenId: `t1:${hour}`,
      tokenExpiresAt: Date.parse('2026-01-19T11:00:00.000Z') / 1000,
    });
    expect(aiSession('t1', new Date('2026-01-19T10:45:00.000Z'), now).tokenExpiresAt).toBe(
      Date.parse('2026-01-19T10:45:00.000Z') / 1000,
    );
  });
});
