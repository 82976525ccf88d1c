import {
  allocate,
  balanceOf,
  byType,
  carryoverCuts,
  CreditLot,
  fifoOrder,
  historyCategory,
  historyType,
  nextUtcMidnight,
  runningBalances,
  usable,
  utcDate,
} from './credit-rules';

const NOW = new Date('2026-01-19T10:00:00.000Z');

function lot(
  id: string,
  creditType: CreditLot['creditType'],
  amount: number,
  extra: Partial<CreditLot> = {},
): CreditLot {
  return {
    id,
    creditType,
    amount,
    consumed: 0,
    createdAt: new Date('2026-01-01T00:00:00.000Z'),
    expiresAt: null,
    expired: false,
    ...extra,
  };
}

describe('credit rules', () => {
  describe(usable.name, () => {
    it('should count the unused remainder of an open lot', () => {
      expect(usable(lot('a', 'kickstart', 5, { consumed: 2 }), NOW)).toBe(3);
    });

    it('should count nothing for an expired or lapsed lot', () => {
      expect(usable(lot('a', 'daily', 10, { expired: true }), NOW)).toBe(0);
      expect(usable(lot('a', 'daily', 10, { expiresAt: NOW }), NOW)).toBe(0);
      expect(usable(lot('a', 'daily', 10, { expiresAt: new Date(NOW.getTime() + 1) }), NOW)).toBe(10);
    });
  });

  describe(balanceOf.name, () => {
    it('should sum by kind and in total', () => {
      const lots = [
        lot('a', 'kickstart', 5),
        lot('b', 'daily', 10, { consumed: 4 }),
        lot('c', 'purchased', 20),
        lot('d', 'purchased', 5),
      ];
      expect(balanceOf(lots, NOW)).toEqual({ kickstart: 5, daily: 6, subscription: 0, purchased: 25, total: 36 });
    });
  });

  describe(fifoOrder.name, () => {
    it('should order daily, subscription, kickstart, purchased, then oldest first', () => {
      const lots = [
        lot('p', 'purchased', 1),
        lot('k', 'kickstart', 1),
        lot('s2', 'subscription', 1, { createdAt: new Date('2026-01-05T00:00:00Z') }),
        lot('s1', 'subscription', 1, { createdAt: new Date('2026-01-02T00:00:00Z') }),
        lot('d', 'daily', 1),
      ];
      expect(fifoOrder(lots).map((l) => l.id)).toEqual(['d', 's1', 's2', 'k', 'p']);
    });
  });

  describe(allocate.name, () => {
    it('should take from one lot when it suffices', () => {
      expect(allocate([lot('k', 'kickstart', 5), lot('d', 'daily', 10)], 3, NOW)).toEqual([
        { lotId: 'd', creditType: 'daily', take: 3 },
      ]);
    });

    it('should span lots and kinds in FIFO order', () => {
      const lots = [
        lot('p', 'purchased', 10),
        lot('k', 'kickstart', 5, { consumed: 3 }),
        lot('d', 'daily', 10, { consumed: 9 }),
      ];
      expect(allocate(lots, 6, NOW)).toEqual([
        { lotId: 'd', creditType: 'daily', take: 1 },
        { lotId: 'k', creditType: 'kickstart', take: 2 },
        { lotId: 'p', creditType: 'purchased', take: 3 },
      ]);
    });

    it('should skip expired daily lots', () => {
      const lots = [lot('old', 'daily', 10, { expiresAt: NOW }), lot('k', 'kickstart', 5)];
      expect(allocate(lots, 2, NOW)).toEqual([{ lotId: 'k', creditType: 'kickstart', take: 2 }]);
    });

    it('should return null when the balance is short', () => {
      expect(allocate([lot('k', 'kickstart', 5, { consumed: 4 })], 2, NOW)).toBeNull();
    });

    it('should refuse a non-positive amount', () => {
      expect(() => allocate([], 0, NOW)).toThrow(RangeError);
    });
  });

  describe(carryoverCuts.name, () => {
    it('should cut the oldest subscription lots down to the cap', () => {
      const lots = [
        lot('s1', 'subscription', 100, { consumed: 40, createdAt: new Date('2026-01-01T00:00:00Z') }),
        lot('s2', 'subscription', 30, { createdAt: new Date('2026-01-10T00:00:00Z') }),
        lot('k', 'kickstart', 5),
      ];
      expect(carryoverCuts(lots, 50, NOW)).toEqual([{ lotId: 's1', creditType: 'subscription', take: 40 }]);
    });

    it('should span lots when the oldest is not enough', () => {
      const lots = [
        lot('s1', 'subscription', 20, { createdAt: new Date('2026-01-01T00:00:00Z') }),
        lot('s2', 'subscription', 100, { createdAt: new Date('2026-01-10T00:00:00Z') }),
      ];
      expect(carryoverCuts(lots, 50, NOW)).toEqual([
        { lotId: 's1', creditType: 'subscription', take: 20 },
        { lotId: 's2', creditType: 'subscription', take: 50 },
      ]);
    });

    it('should cut nothing at or below the cap', () => {
      expect(carryoverCuts([lot('s', 'subscription', 50)], 50, NOW)).toEqual([]);
    });
  });

  it('should compute running balances', () => {
    expect(runningBalances(10, [-1, -2, 5])).toEqual([9, 7, 12]);
  });

  it('should sum takes by type', () => {
    expect(
      byType([
        { lotId: 'a', creditType: 'daily', take: 1 },
        { lotId: 'b', creditType: 'daily', take: 2 },
        { lotId: 'c', creditType: 'purchased', take: 3 },
      ]),
    ).toEqual({ daily: 3, purchased: 3 });
  });

  it('should compute the UTC date and the next UTC midnight', () => {
    expect(utcDate(new Date('2026-01-19T23:59:59.999Z'))).toBe('2026-01-19');
    expect(nextUtcMidnight(new Date('2026-01-19T23:59:59.999Z')).toISOString()).toBe('2026-01-20T00:00:00.000Z');
    expect(nextUtcMidnight(new Date('2026-01-20T00:00:00.000Z')).toISOString()).toBe('2026-01-21T00:00:00.000Z');
    expect(nextUtcMidnight(new Date('2026-12-31T12:00:00.000Z')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('should derive the history type and category', () => {
    expect(historyType('grant')).toBe('grant');
    expect(historyType('consume')).toBe('deduct');
    expect(historyType('expire')).toBe('deduct');
    expect(historyType('carryover')).toBe('deduct');
    expect(historyCategory('consume', 'daily')).toBe('ai');
    expect(historyCategory('grant', 'purchased')).toBe('purchase');
    expect(historyCategory('expire', 'daily')).toBe('daily');
    expect(historyCategory('carryover', 'subscription')).toBe('subscription');
    expect(historyCategory('grant', 'kickstart')).toBe('kickstart');
  });
});
