import { createPublicKey, JsonWebKey } from 'node:crypto';

const MIN_RSA_BITS = 2048;

/**
 * `{kid: PEM}` for every RS256 signing key of a JWKS document (google-auth-library verifies with
 * PEM keys only). Keys of another type or use, without `kid`, or that do not parse are skipped.
 */
export function jwksToPems(document: unknown): Map<string, string> {
  const pems = new Map<string, string>();
  const keys: unknown = (document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return pems;
  for (const jwk of keys as Array<Record<string, unknown>>) {
    if (jwk?.kty !== 'RSA' || typeof jwk.kid !== 'string' || jwk.kid === '') continue;
    if ((jwk.alg !== undefined && jwk.alg !== 'RS256') || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    try {
      const key = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e } as JsonWebKey, format: 'jwk' });
      // RFC 7518 §3.3: RS256 keys have at least 2048 bits (node accepts junk moduli as 0-bit keys).
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) continue;
      pems.set(jwk.kid, key.export({ type: 'spki', format: 'pem' }).toString());
    } catch {
      continue;
    }
  }
  return pems;
}
