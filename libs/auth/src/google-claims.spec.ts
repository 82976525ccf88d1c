import { checkGoogleClaims, GoogleClaimRules } from './google-claims';

const NOW = 1_770_000_000;
const rules: GoogleClaimRules = {
  audiences: ['client-a', 'client-b'],
  issuers: ['accounts.google.com', 'https://accounts.google.com'],
  nowSeconds: NOW,
};

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'https://accounts.google.com',
    aud: 'client-a',
    sub: '1234567890',
    email: 'ada@example.com',
    email_verified: true,
    name: 'Ada Lovelace',
    picture: 'https://example.com/ada.png',
    iat: NOW - 10,
    exp: NOW + 3590,
    ...overrides,
  };
}

describe(checkGoogleClaims.name, () => {
  it('should return the identity of a valid token', () => {
    expect(checkGoogleClaims(claims(), rules)).toEqual({
      identity: {
        sub: '1234567890',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
        picture: 'https://example.com/ada.png',
      },
    });
  });

  it('should return null name and picture when absent or empty', () => {
    expect(checkGoogleClaims(claims({ name: undefined, picture: '' }), rules)).toEqual({
      identity: { sub: '1234567890', email: 'ada@example.com', name: null, picture: null },
    });
  });

  it.each([true, 'true'])('should accept email_verified = %j', (value) => {
    expect(checkGoogleClaims(claims({ email_verified: value }), rules)).toHaveProperty('identity');
  });

  it.each([false, 'false', 'TRUE', 1, null, undefined])('should reject email_verified = %j', (value) => {
    expect(checkGoogleClaims(claims({ email_verified: value }), rules)).toEqual({ problem: 'email not verified' });
  });

  it('should accept an audience array containing an accepted client id', () => {
    expect(checkGoogleClaims(claims({ aud: ['other', 'client-b'] }), rules)).toHaveProperty('identity');
  });

  it.each([['other'], [['other', 'more']], [undefined], [42]])('should reject audience %j', (aud) => {
    expect(checkGoogleClaims(claims({ aud }), rules)).toEqual({ problem: 'audience not accepted' });
  });

  it.each(['accounts.google.com', 'https://accounts.google.com'])('should accept issuer %s', (iss) => {
    expect(checkGoogleClaims(claims({ iss }), rules)).toHaveProperty('identity');
  });

  it('should reject another issuer', () => {
    expect(checkGoogleClaims(claims({ iss: 'https://idp.test' }), rules)).toEqual({ problem: 'issuer not accepted' });
  });

  it('should accept a token expired up to 60 s ago', () => {
    expect(checkGoogleClaims(claims({ exp: NOW - 60 }), rules)).toHaveProperty('identity');
  });

  it('should reject a token expired more than 60 s ago', () => {
    expect(checkGoogleClaims(claims({ exp: NOW - 61 }), rules)).toEqual({ problem: 'token expired' });
  });

  it('should accept a token issued up to 60 s in the future', () => {
    expect(checkGoogleClaims(claims({ iat: NOW + 60 }), rules)).toHaveProperty('identity');
  });

  it('should reject a token issued more than 60 s in the future', () => {
    expect(checkGoogleClaims(claims({ iat: NOW + 61 }), rules)).toEqual({ problem: 'token issued in the future' });
  });

  it.each([
    ['exp', { exp: undefined }, 'exp missing'],
    ['iat', { iat: '1770000000' }, 'iat missing'],
    ['sub', { sub: '' }, 'sub missing'],
    ['sub', { sub: undefined }, 'sub missing'],
    ['email', { email: '  ' }, 'email missing'],
    ['email', { email: undefined }, 'email missing'],
  ])('should reject a missing or invalid %s', (_, overrides, problem) => {
    expect(checkGoogleClaims(claims(overrides), rules)).toEqual({ problem });
  });
});
