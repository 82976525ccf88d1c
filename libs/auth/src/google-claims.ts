/** Tolerated clock difference for Google ID tokens' `exp` and `iat` (docs/integrations.md §1). */
export const GOOGLE_CLOCK_SKEW_SECONDS = 60;

export interface GoogleIdentity {
  sub: string;
  email: string;
  name: string | null;
  picture: string | null;
}

export interface GoogleClaimRules {
  audiences: string[];
  issuers: string[];
  nowSeconds: number;
}

export type GoogleClaimCheck = { identity: GoogleIdentity } | { problem: string };

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * The claim rules of docs/integrations.md §1 (everything but the signature): `iss`, `aud` (a string or
 * any element of an array), `exp`/`iat` with 60 s skew, `sub`/`email` present and
 * `email_verified` true (boolean or the string "true").
 */
export function checkGoogleClaims(payload: Record<string, unknown>, rules: GoogleClaimRules): GoogleClaimCheck {
  const { exp, iat, iss, aud } = payload;
  if (typeof iss !== 'string' || !rules.issuers.includes(iss)) return { problem: 'issuer not accepted' };
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.some((value) => typeof value === 'string' && rules.audiences.includes(value))) {
    return { problem: 'audience not accepted' };
  }
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { problem: 'exp missing' };
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return { problem: 'iat missing' };
  if (rules.nowSeconds > exp + GOOGLE_CLOCK_SKEW_SECONDS) return { problem: 'token expired' };
  if (iat > rules.nowSeconds + GOOGLE_CLOCK_SKEW_SECONDS) return { problem: 'token issued in the future' };
  const sub = nonEmptyString(payload.sub);
  const email = nonEmptyString(payload.email);
  if (!sub) return { problem: 'sub missing' };
  if (!email) return { problem: 'email missing' };
  if (payload.email_verified !== true && payload.email_verified !== 'true') return { problem: 'email not verified' };
  return {
    identity: {
      sub,
      email: email.trim(),
      name: nonEmptyString(payload.name),
      picture: nonEmptyString(payload.picture),
    },
  };
}
