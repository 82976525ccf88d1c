import type { CreditOperation, CreditType } from '@app/core/database/enums';

/** Consumption order of docs/rules.md §2.2: daily → subscription → kickstart → purchased. */
export const CONSUMPTION_ORDER: readonly CreditType[] = ['daily', 'subscription', 'kickstart', 'purchased'];

/** An open grant lot as the ledger math sees it. */
export interface CreditLot {
  id: string;
  creditType: CreditType;
  amount: number;
  consumed: number;
  createdAt: Date;
  expiresAt: Date | null;
  expired: boolean;
}

export interface LotTake {
  lotId: string;
  creditType: CreditType;
  take: number;
}

export type BalanceByKind = Record<CreditType, number> & { total: number };

/** Unused remainder of a lot that still counts at `now` (daily lots stop counting at `expires_at`). */
export function usable(lot: CreditLot, now: Date): number {
  if (lot.expired) return 0;
  if (lot.expiresAt && lot.expiresAt.getTime() <= now.getTime()) return 0;
  return Math.max(0, lot.amount - lot.consumed);
}

export function balanceOf(lots: readonly CreditLot[], now: Date): BalanceByKind {
  const balance: BalanceByKind = { kickstart: 0, daily: 0, subscription: 0, purchased: 0, total: 0 };
  for (const lot of lots) {
    const left = usable(lot, now);
    balance[lot.creditType] += left;
    balance.total += left;
  }
  return balance;
}

/** Kind order, then oldest lot first (id breaks ties so the order is total). */
export function fifoOrder(lots: readonly CreditLot[]): CreditLot[] {
  return [...lots].sort(
    (a, b) =>
      CONSUMPTION_ORDER.indexOf(a.creditType) - CONSUMPTION_ORDER.indexOf(b.creditType) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.id.localeCompare(b.id),
  );
}

/**
 * Which lots pay `amount` (docs/rules.md §2.2): FIFO over kinds and lots, one take per lot touched.
 * Returns null when the usable balance is below `amount` (nothing may be taken then).
 */
export function allocate(lots: readonly CreditLot[], amount: number, now: Date): LotTake[] | null {
  if (!Number.isInteger(amount) || amount <= 0) throw new RangeError(`cannot allocate ${amount} credits`);
  const takes: LotTake[] = [];
  let left = amount;
  for (const lot of fifoOrder(lots)) {
    if (left === 0) break;
    const take = Math.min(usable(lot, now), left);
    if (take === 0) continue;
    takes.push({ lotId: lot.id, creditType: lot.creditType, take });
    left -= take;
  }
  return left === 0 ? takes : null;
}

/**
 * Carry-over at renewal (docs/rules.md §2.3): subscription credits above `cap` are removed, oldest lots
 * first, so that exactly `cap` remain. Returns the cut per lot (empty when nothing exceeds the cap).
 */
export function carryoverCuts(lots: readonly CreditLot[], cap: number, now: Date): LotTake[] {
  const subscription = fifoOrder(lots.filter((lot) => lot.creditType === 'subscription'));
  let excess = subscription.reduce((sum, lot) => sum + usable(lot, now), 0) - Math.max(0, cap);
  const cuts: LotTake[] = [];
  for (const lot of subscription) {
    if (excess <= 0) break;
    const take = Math.min(usable(lot, now), excess);
    if (take === 0) continue;
    cuts.push({ lotId: lot.id, creditType: lot.creditType, take });
    excess -= take;
  }
  return cuts;
}

/** Running totals after each of `deltas`, starting from `start` (the `balance_after` of each entry). */
export function runningBalances(start: number, deltas: readonly number[]): number[] {
  let balance = start;
  return deltas.map((delta) => (balance += delta));
}

/** Sums takes by credit type (the `by_type` of `credit.consumed`). */
export function byType(takes: readonly LotTake[]): Partial<Record<CreditType, number>> {
  const sums: Partial<Record<CreditType, number>> = {};
  for (const { creditType, take } of takes) sums[creditType] = (sums[creditType] ?? 0) + take;
  return sums;
}

/** UTC calendar date `YYYY-MM-DD` of an instant (the `grant_date` of a daily lot). */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** The next 00:00 UTC strictly after `instant` (a daily lot's `expires_at`, `daily_reset_at`). */
export function nextUtcMidnight(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate() + 1));
}

/** History `type` (docs/api.md §2 CreditLedgerEntry): grants are `grant`, every other operation `deduct`. */
export function historyType(operation: CreditOperation): 'grant' | 'deduct' {
  return operation === 'grant' ? 'grant' : 'deduct';
}

/** History `category`: `ai` for consume entries, else from the credit type (`purchase` for purchased). */
export function historyCategory(
  operation: CreditOperation,
  creditType: CreditType,
): 'ai' | 'kickstart' | 'daily' | 'subscription' | 'purchase' {
  if (operation === 'consume') return 'ai';
  return creditType === 'purchased' ? 'purchase' : creditType;
}
