import { createHmac } from 'node:crypto';
import { isValidSignature } from './webhook-signature';

const sign = (body: Buffer, secret: string): string => createHmac('sha256', secret).update(body).digest('hex');

describe(isValidSignature.name, () => {
  const body = Buffer.from('{"id":"evt_1","type":"payment_captured","data":{}}');

  it('should accept the hex HMAC-SHA256 of the raw body in either letter case', () => {
    const signature = sign(body, 'whsec');
    expect(isValidSignature(body, signature, 'whsec')).toBe(true);
    expect(isValidSignature(body, signature.toUpperCase(), 'whsec')).toBe(true);
  });

  it('should refuse a missing, malformed or wrong signature', () => {
    expect(isValidSignature(body, undefined, 'whsec')).toBe(false);
    expect(isValidSignature(body, 'not-hex', 'whsec')).toBe(false);
    expect(isValidSignature(body, sign(body, 'other'), 'whsec')).toBe(false);
    expect(isValidSignature(Buffer.from(`${body.toString()} `), sign(body, 'whsec'), 'whsec')).toBe(false);
  });
});
