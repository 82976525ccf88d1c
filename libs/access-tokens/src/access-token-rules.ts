import { randomBytes } from 'node:crypto';
import type { AccessTokenScope } from '@app/core/database/enums';
import type { TokenScopeRule } from '@app/http/token-scope.decorator';

/** Every secret starts with it, so a leaked one is recognisable and the guard can route on it. */
export const ACCESS_TOKEN_PREFIX = 'pf_pat_';
/** Active (neither revoked nor expired) tokens per user (docs/access-tokens.md §1). */
export const MAX_ACTIVE_ACCESS_TOKENS = 20;
/** The furthest expiry a token may be given. */
export const MAX_ACCESS_TOKEN_LIFETIME_DAYS = 366;
/** `last_used_at` is written at most this often per token (docs/access-tokens.md §3). */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** The AI session of a personal access token (the per-task AI counter, docs/rules.md §2.7). */
const AI_SESSION_MS = 3_600_000;

const SECRET_PATTERN = /^pf_pat_[A-Za-z0-9_-]{43}$/;
const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** A new secret: the prefix and 256 random bits, base64url. */
export function generateAccessTokenSecret(): string {
  return ACCESS_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function isAccessTokenSecret(token: string): boolean {
  return SECRET_PATTERN.test(token);
}

/** What the token list shows of a secret: the prefix and 4 more characters. */
export function tokenHint(secret: string): string {
  return secret.slice(0, ACCESS_TOKEN_PREFIX.length + 4);
}

/** The rule a request must satisfy: the route's own, else `read` for safe methods and `write` for the others. */
export function requiredScope(rule: TokenScopeRule | undefined, method: string): TokenScopeRule {
  return rule ?? (SAFE_METHODS.has(method.toUpperCase()) ? 'read' : 'write');
}

/** What `scopes` lack to satisfy `rule`, or null (`tool`: the handler checks each operation itself). */
export function missingScope(
  scopes: readonly AccessTokenScope[],
  rule: TokenScopeRule,
): AccessTokenScope | 'session' | null {
  if (rule === 'tool') return null;
  if (rule === 'session') return 'session';
  return scopes.includes(rule) ? null : rule;
}

export function isUsable(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  return token.revokedAt === null && (token.expiresAt === null || token.expiresAt > now);
}

export function lastUseIsStale(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}

/**
 * The AI session of a request made with a token: consecutive hours (never past the token's
 * expiry), each with its own per-task AI counter, as a session's access token has.
 */
export function aiSession(
  tokenId: string,
  expiresAt: Date | null,
  now: Date,
): { tokenId: string; tokenExpiresAt: number } {
  const hour = Math.floor(now.getTime() / AI_SESSION_MS);
  const end = Math.min((hour + 1) * AI_SESSION_MS, expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
  return { tokenId: `${tokenId}:${hour}`, tokenExpiresAt: Math.ceil(end / 1000) };
}
