import { generateRefreshToken, hashRefreshToken } from './refresh-token';

describe('refresh tokens', () => {
  it('should generate 256-bit base64url tokens that differ each time', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateRefreshToken()));

    expect(tokens.size).toBe(50);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    }
  });

  it('should hash to the SHA-256 hex digest', () => {
    expect(hashRefreshToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('should give different hashes for different tokens and a stable hash for the same token', () => {
    const token = generateRefreshToken();

    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token));
    expect(hashRefreshToken(token)).not.toBe(hashRefreshToken(generateRefreshToken()));
    expect(hashRefreshToken(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});
