import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/**
 * `Cko-Signature` = hex HMAC-SHA256 of the exact raw body keyed with the webhook secret
 * (docs/integrations.md §4.2), either letter case, compared in constant time.
 */
export function isValidSignature(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  if (!signature || !HEX_SHA256.test(signature.trim())) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(expected, Buffer.from(signature.trim(), 'hex'));
}
