import { ValidationError } from '@app/core/errors/domain-error';
import {
  declaredCredits,
  declaredPeriod,
  declaredPurpose,
  declaredSeriesId,
  declaredUserId,
  instrumentOf,
  isRenewalReference,
  paymentIdOf,
  paymentSessionRef,
  readCheckoutEvent,
} from './checkout-event';

describe('checkout events', () => {
  describe(readCheckoutEvent.name, () => {
    it('should read the envelope, accepting event_type for type', () => {
      expect(
        readCheckoutEvent({
          id: 'evt_1',
          event_type: 'payment_captured',
          created_on: '2026-01-20T10:00:00Z',
          data: { id: 'pay_1' },
        }),
      ).toEqual({
        id: 'evt_1',
        type: 'payment_captured',
        createdOn: new Date('2026-01-20T10:00:00.000Z'),
        data: { id: 'pay_1' },
      });
    });

    it('should keep a non-object data as null and ignore a bad created_on', () => {
      expect(readCheckoutEvent({ id: 'evt_1', type: 'x', created_on: 'soon', data: [1] })).toMatchObject({
        createdOn: null,
        data: null,
      });
    });

    it('should refuse a missing id or type', () => {
      expect(() => readCheckoutEvent({ type: 'x' })).toThrow(ValidationError);
      expect(() => readCheckoutEvent({ id: 'evt_1' })).toThrow(ValidationError);
      expect(() => readCheckoutEvent({ id: 7, type: 'x' })).toThrow(ValidationError);
    });
  });

  describe('field resolution', () => {
    const session = 'A3F1C2B7-9A4D-4E21-8C55-0B6A1D2E3F40';

    it('should recognise a payment of the renewal job by its renew-… reference only', () => {
      expect(isRenewalReference({ reference: 'renew-sub-1767225600-1' })).toBe(true);
      expect(isRenewalReference({ reference: session })).toBe(false);
      expect(isRenewalReference({ metadata: { reference: 'renew-x' } })).toBe(false);
      expect(isRenewalReference({})).toBe(false);
    });

    it('should read metadata first, then top-level data', () => {
      const data = {
        id: 'pay_1',
        user_id: 'top',
        reference: 'renew-abc',
        subscription_id: 'sub_top',
        source: { id: 'src_1' },
        metadata: {
          user_id: 'META',
          purpose: 'credit_purchase',
          payment_session_id: session,
          subscription_id: 'sub_meta',
        },
      };
      expect(declaredUserId(data)).toBe('meta');
      expect(declaredPurpose(data)).toBe('credit_purchase');
      expect(paymentSessionRef(data)).toBe(session.toLowerCase());
      expect(declaredSeriesId(data)).toBe('sub_top');
      expect(instrumentOf(data)).toBe('src_1');
      expect(declaredUserId({ user_id: 'top' })).toBe('top');
      expect(declaredSeriesId({ metadata: { subscription_id: 'sub_meta' } })).toBe('sub_meta');
    });

    it('should match a payment session only through a UUID reference', () => {
      expect(paymentSessionRef({ reference: session })).toBe(session.toLowerCase());
      expect(paymentSessionRef({ reference: 'renew-sub-1-1769940000-1' })).toBeNull();
      expect(paymentSessionRef({})).toBeNull();
    });

    it('should ignore an unknown purpose', () => {
      expect(declaredPurpose({ metadata: { purpose: 'donation' } })).toBeNull();
    });

    it('should use data.id as payment id, else the event id', () => {
      expect(paymentIdOf({ id: 'evt_1', type: 'x', createdOn: null, data: { id: 'pay_1' } })).toBe('pay_1');
      expect(paymentIdOf({ id: 'evt_1', type: 'x', createdOn: null, data: {} })).toBe('evt_1');
    });

    it('should use a period only when both ends are sent and valid', () => {
      expect(declaredPeriod({ period_start: '2026-01-01T00:00:00Z' })).toBeNull();
      expect(declaredPeriod({ period_start: '2026-01-01T00:00:00Z', period_end: '2026-02-01T00:00:00Z' })).toEqual({
        start: new Date('2026-01-01T00:00:00.000Z'),
        end: new Date('2026-02-01T00:00:00.000Z'),
      });
      expect(declaredPeriod({ period_start: '2026-02-01T00:00:00Z', period_end: '2026-01-01T00:00:00Z' })).toBe(
        'invalid',
      );
      expect(declaredPeriod({ period_start: 5, period_end: '2026-01-01T00:00:00Z' })).toBe('invalid');
    });

    it('should read credits as an integer 1–500, also from a digit string', () => {
      expect(declaredCredits({ metadata: { credits: 100 } })).toBe(100);
      expect(declaredCredits({ metadata: { credits: '250' } })).toBe(250);
      expect(declaredCredits({ metadata: {} })).toBeNull();
      expect([0, 501, 1.5, '1e2', true].map((credits) => declaredCredits({ metadata: { credits } }))).toEqual([
        'invalid',
        'invalid',
        'invalid',
        'invalid',
        'invalid',
      ]);
    });
  });
});
