import {
  addCalendarMonth,
  applyDecline,
  blocksCheckout,
  canCancel,
  canResume,
  capturedPeriod,
  eventTime,
  expiryReason,
  isActivation,
  isRenewalDue,
  isStaleEvent,
  latestEventTime,
  needsGraceWarning,
  renewalKey,
  resumedStatus,
  SubscriptionState,
  tierForStatus,
  utcMonthStart,
} from './subscription-rules';

const at = (iso: string): Date => new Date(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function state(overrides: Partial<SubscriptionState> = {}): SubscriptionState {
  return {
    status: 'active',
    failedPaymentCount: 0,
    gracePeriodEnd: null,
    currentPeriodEnd: at('2026-02-01T10:00:00.000Z'),
    ...overrides,
  };
}

describe('subscription rules', () => {
  describe(addCalendarMonth.name, () => {
    it('should keep the time of day and clamp to the last day of the target month', () => {
      expect(addCalendarMonth(at('2026-01-31T10:15:30.123Z'))).toEqual(at('2026-02-28T10:15:30.123Z'));
      expect(addCalendarMonth(at('2028-01-31T00:00:00.000Z'))).toEqual(at('2028-02-29T00:00:00.000Z'));
      expect(addCalendarMonth(at('2026-03-31T23:59:59.999Z'))).toEqual(at('2026-04-30T23:59:59.999Z'));
      expect(addCalendarMonth(at('2026-02-28T08:00:00.000Z'))).toEqual(at('2026-03-28T08:00:00.000Z'));
      expect(addCalendarMonth(at('2026-12-15T12:00:00.000Z'))).toEqual(at('2027-01-15T12:00:00.000Z'));
    });
  });

  describe(tierForStatus.name, () => {
    it('should be pro while active, past due, in grace or cancelled', () => {
      expect((['active', 'past_due', 'grace', 'cancelled'] as const).map(tierForStatus)).toEqual([
        'pro',
        'pro',
        'pro',
        'pro',
      ]);
      expect([tierForStatus('expired'), tierForStatus(null)]).toEqual(['free', 'free']);
    });
  });

  describe(isActivation.name, () => {
    it('should treat no row or an expired one as an activation, anything else as a renewal', () => {
      expect([isActivation(null), isActivation('expired')]).toEqual([true, true]);
      expect((['active', 'past_due', 'grace', 'cancelled'] as const).map(isActivation)).toEqual([
        false,
        false,
        false,
        false,
      ]);
    });
  });

  describe(capturedPeriod.name, () => {
    const capture = at('2026-01-20T09:00:00.000Z');

    it('should start an activation at the capture time', () => {
      expect(capturedPeriod(true, capture, at('2026-02-01T00:00:00.000Z'), null)).toEqual({
        start: capture,
        end: at('2026-02-20T09:00:00.000Z'),
      });
    });

    it('should start a renewal at the later of the capture time and the stored end', () => {
      const storedEnd = at('2026-01-31T10:00:00.000Z');
      expect(capturedPeriod(false, capture, storedEnd, null)).toEqual({
        start: storedEnd,
        end: at('2026-02-28T10:00:00.000Z'),
      });
      const late = at('2026-02-05T00:00:00.000Z');
      expect(capturedPeriod(false, late, storedEnd, null)).toEqual({
        start: late,
        end: at('2026-03-05T00:00:00.000Z'),
      });
    });

    it("should prefer the provider's period", () => {
      const provided = { start: at('2026-01-01T00:00:00.000Z'), end: at('2026-01-15T00:00:00.000Z') };
      expect(capturedPeriod(false, capture, null, provided)).toBe(provided);
    });
  });

  describe(applyDecline.name, () => {
    const now = at('2026-01-20T09:00:00.000Z');

    it('should go past due for the first two failures and to grace for three days at the third', () => {
      expect(applyDecline(state(), now)).toEqual({
        status: 'past_due',
        failedPaymentCount: 1,
        gracePeriodEnd: null,
        event: 'payment_failed',
      });
      expect(applyDecline(state({ status: 'past_due', failedPaymentCount: 1 }), now)).toMatchObject({
        status: 'past_due',
        failedPaymentCount: 2,
      });
      expect(applyDecline(state({ status: 'past_due', failedPaymentCount: 2 }), now)).toEqual({
        status: 'grace',
        failedPaymentCount: 3,
        gracePeriodEnd: new Date(now.getTime() + 3 * DAY),
        event: 'grace_started',
      });
    });

    it('should only count further declines in grace, keeping its end', () => {
      const graceEnd = at('2026-01-22T00:00:00.000Z');
      expect(applyDecline(state({ status: 'grace', failedPaymentCount: 3, gracePeriodEnd: graceEnd }), now)).toEqual({
        status: 'grace',
        failedPaymentCount: 4,
        gracePeriodEnd: graceEnd,
        event: 'payment_failed',
      });
    });
  });

  describe('cancel and resume', () => {
    const now = at('2026-01-20T09:00:00.000Z');

    it('should cancel from active, past due and grace only', () => {
      expect((['active', 'past_due', 'grace', 'cancelled', 'expired'] as const).map(canCancel)).toEqual([
        true,
        true,
        true,
        false,
        false,
      ]);
    });

    it('should resume only a cancelled subscription whose period is not over', () => {
      expect(canResume(state({ status: 'cancelled' }), now)).toBe(true);
      expect(canResume(state({ status: 'cancelled', currentPeriodEnd: now }), now)).toBe(false);
      expect(canResume(state({ status: 'active' }), now)).toBe(false);
    });

    it('should return to the status its failures imply', () => {
      expect([0, 1, 2, 3, 4].map(resumedStatus)).toEqual(['active', 'past_due', 'past_due', 'grace', 'grace']);
    });

    it('should block checkout while active or cancelled with time left', () => {
      expect(blocksCheckout(null, now)).toBe(false);
      expect(blocksCheckout(state(), now)).toBe(true);
      expect(blocksCheckout(state({ status: 'cancelled' }), now)).toBe(true);
      expect(blocksCheckout(state({ status: 'cancelled', currentPeriodEnd: now }), now)).toBe(false);
      expect(blocksCheckout(state({ status: 'past_due' }), now)).toBe(false);
      expect(blocksCheckout(state({ status: 'grace' }), now)).toBe(false);
      expect(blocksCheckout(state({ status: 'expired' }), now)).toBe(false);
    });
  });

  describe(expiryReason.name, () => {
    const end = at('2026-02-01T10:00:00.000Z');

    it('should expire grace at its end, cancelled at the period end, unpaid ones 3 days after it', () => {
      expect(expiryReason(state({ status: 'grace', gracePeriodEnd: end }), end)).toBe('grace');
      expect(expiryReason(state({ status: 'grace', gracePeriodEnd: end }), new Date(end.getTime() - 1))).toBeNull();
      expect(expiryReason(state({ status: 'cancelled', currentPeriodEnd: end }), end)).toBe('cancelled');
      expect(expiryReason(state({ status: 'active', currentPeriodEnd: end }), new Date(end.getTime() + 3 * DAY))).toBe(
        'lapsed',
      );
      expect(
        expiryReason(state({ status: 'past_due', currentPeriodEnd: end }), new Date(end.getTime() + 3 * DAY - 1)),
      ).toBeNull();
      expect(expiryReason(state({ status: 'expired' }), new Date(end.getTime() + 30 * DAY))).toBeNull();
    });
  });

  describe(needsGraceWarning.name, () => {
    it('should warn once when less than 24 h of grace remain', () => {
      const end = at('2026-02-01T10:00:00.000Z');
      const grace = { ...state({ status: 'grace', gracePeriodEnd: end }), graceWarningSent: false };
      expect(needsGraceWarning(grace, new Date(end.getTime() - DAY))).toBe(false);
      expect(needsGraceWarning(grace, new Date(end.getTime() - DAY + 1))).toBe(true);
      expect(needsGraceWarning({ ...grace, graceWarningSent: true }, new Date(end.getTime() - HOUR))).toBe(false);
    });
  });

  describe(isRenewalDue.name, () => {
    it('should charge active and past-due subscriptions ending within the hour, unless cancelled', () => {
      const end = at('2026-02-01T10:00:00.000Z');
      const due = { ...state({ currentPeriodEnd: end }), cancelAtPeriodEnd: false };
      expect(isRenewalDue(due, new Date(end.getTime() - HOUR))).toBe(true);
      expect(isRenewalDue(due, new Date(end.getTime() - HOUR - 1))).toBe(false);
      expect(isRenewalDue({ ...due, status: 'past_due' }, end)).toBe(true);
      expect(isRenewalDue({ ...due, status: 'grace' }, end)).toBe(false);
      expect(isRenewalDue({ ...due, cancelAtPeriodEnd: true }, end)).toBe(false);
    });
  });

  it('should derive the renewal key from subscription, period end seconds and attempt', () => {
    expect(renewalKey('sub-1', at('2026-02-01T10:00:00.999Z'), 0)).toBe('renew-sub-1-1769940000-1');
    expect(renewalKey('sub-1', at('2026-02-01T10:00:00.999Z'), 2)).toBe('renew-sub-1-1769940000-3');
  });

  it('should start the UTC month at its first midnight', () => {
    expect(utcMonthStart(at('2026-03-31T23:59:59.000Z'))).toEqual(at('2026-03-01T00:00:00.000Z'));
  });

  describe('event order (docs/billing-events.md)', () => {
    const received = at('2026-02-01T10:00:00.000Z');

    it('should count an event at its created_on, else at receipt, never after receipt', () => {
      expect(eventTime(at('2026-02-01T09:59:00.000Z'), received)).toEqual(at('2026-02-01T09:59:00.000Z'));
      expect(eventTime(null, received)).toEqual(received);
      expect(eventTime(at('2026-02-02T00:00:00.000Z'), received)).toEqual(received);
    });

    it('should call only a strictly older event stale, and nothing stale before the first event', () => {
      expect(isStaleEvent(received, at('2026-02-01T09:59:59.999Z'))).toBe(true);
      expect(isStaleEvent(received, received)).toBe(false);
      expect(isStaleEvent(received, at('2026-02-01T10:00:00.001Z'))).toBe(false);
      expect(isStaleEvent(null, at('2020-01-01T00:00:00.000Z'))).toBe(false);
    });

    it('should only move the stored event time forward', () => {
      const older = at('2026-01-31T10:00:00.000Z');
      expect(latestEventTime(received, older)).toEqual(received);
      expect(latestEventTime(older, received)).toEqual(received);
      expect(latestEventTime(null, older)).toEqual(older);
    });
  });
});
