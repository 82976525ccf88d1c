import { createHash, randomBytes } from 'node:crypto';

/** A new opaque refresh token: 256 random bits, base64url (docs/api.md §3). */
export function generateRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored instead of the raw token: SHA-256, lowercase hex. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
