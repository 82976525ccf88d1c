import { PAYMENT_SESSION_PURPOSES, PaymentSessionPurpose } from '@app/core/database/enums';
import { ErrorDetail, ValidationError } from '@app/core/errors/domain-error';
import { parseTimestamp, UUID_PATTERN } from '@app/core/validation/validators';
import { field, isObject, JsonObject, stringField } from './json-fields';
import type { PaymentSessionEntity } from '@app/core/database/entities';
import { addCalendarMonth, CURRENCY, Period, PRO_PRICE_CENTS, RENEWAL_KEY_PREFIX } from './subscription-rules';

/** A verified Checkout.com webhook event (docs/integrations.md §4.3). */
export interface CheckoutEvent {
  id: string;
  type: string;
  /** `created_on`, when present and valid. */
  createdOn: Date | null;
  /** `data`, or null when missing or not an object (acknowledged as `invalid_payload`). */
  data: JsonObject | null;
}

const MAX_CREDITS = 500;

/** The envelope checks answered with 400: `id` and `type` (or `event_type`). */
export function readCheckoutEvent(body: JsonObject): CheckoutEvent {
  const id = stringField(body, 'id');
  const type = stringField(body, 'type') ?? stringField(body, 'event_type');
  const problems: ErrorDetail[] = [];
  if (!id) problems.push({ field: 'id', message: 'is required' });
  if (!type) problems.push({ field: 'type', message: 'is required (or event_type)' });
  if (!id || !type) throw new ValidationError(problems);
  const createdOn = stringField(body, 'created_on');
  const data = field(body, 'data');
  return {
    id,
    type,
    createdOn: createdOn ? (parseTimestamp(createdOn) ?? null) : null,
    data: isObject(data) ? data : null,
  };
}

function metadata(data: JsonObject): JsonObject {
  const value = field(data, 'metadata');
  return isObject(value) ? value : {};
}

/** The payment session the event names (`metadata.payment_session_id`, else `reference`), if a UUID. */
export function paymentSessionRef(data: JsonObject): string | null {
  const ref = stringField(metadata(data), 'payment_session_id') ?? stringField(data, 'reference');
  return ref && UUID_PATTERN.test(ref) ? ref.toLowerCase() : null;
}

export function declaredPurpose(data: JsonObject): PaymentSessionPurpose | null {
  const purpose = stringField(metadata(data), 'purpose');
  return PAYMENT_SESSION_PURPOSES.find((p) => p === purpose) ?? null;
}

/** A payment the renewal job made: its `reference` is the job's key (docs/integrations.md §4.6). */
export function isRenewalReference(data: JsonObject): boolean {
  return stringField(data, 'reference')?.startsWith(RENEWAL_KEY_PREFIX) ?? false;
}

/** The user id the event declares (`metadata.user_id`, then `user_id`), lowercased. */
export function declaredUserId(data: JsonObject): string | null {
  const id = stringField(metadata(data), 'user_id') ?? stringField(data, 'user_id');
  return id ? id.toLowerCase() : null;
}

/** The provider's subscription (series) id, when the event carries one. */
export function declaredSeriesId(data: JsonObject): string | null {
  return stringField(data, 'subscription_id') ?? stringField(metadata(data), 'subscription_id');
}

/** Grants keep `payment:<id>` in `operation_ref` (200 characters); Checkout.com ids are far shorter. */
export const MAX_PAYMENT_ID_LENGTH = 192;

export function paymentIdOf(event: CheckoutEvent): string {
  return (event.data && stringField(event.data, 'id')) ?? event.id;
}

/** The stored card (`source.id`). */
export function instrumentOf(data: JsonObject): string | null {
  return stringField(field(data, 'source'), 'id');
}

/** `period_start` + `period_end` when both are sent; 'invalid' when they are unusable. */
export function declaredPeriod(data: JsonObject): Period | null | 'invalid' {
  const start = field(data, 'period_start');
  const end = field(data, 'period_end');
  if (start === undefined || start === null || end === undefined || end === null) return null;
  const period = {
    start: typeof start === 'string' ? parseTimestamp(start) : undefined,
    end: typeof end === 'string' ? parseTimestamp(end) : undefined,
  };
  if (!period.start || !period.end || period.end.getTime() <= period.start.getTime()) return 'invalid';
  return { start: period.start, end: period.end };
}

/** `metadata.credits` (an integer 1–500, also as a digit string); 'invalid' when sent but unusable. */
export function declaredCredits(data: JsonObject): number | null | 'invalid' {
  const value = field(metadata(data), 'credits');
  if (value === undefined || value === null) return null;
  const credits = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof credits === 'number' && Number.isInteger(credits) && credits >= 1 && credits <= MAX_CREDITS
    ? credits
    : 'invalid';
}

/** `data.amount` (minor units) and `data.currency`, as sent. */
function declaredCharge(data: JsonObject): { amount: unknown; currency: unknown } {
  return { amount: field(data, 'amount'), currency: field(data, 'currency') };
}

/**
 * The first field in which the event contradicts the stored payment session, or null
 * (docs/webhook-trust.md): our own record decides who is granted what.
 */
export function sessionMismatch(data: JsonObject, session: PaymentSessionEntity): string | null {
  const userId = declaredUserId(data);
  if (userId !== null && userId !== session.userId) return 'user_id';
  const purpose = stringField(metadata(data), 'purpose');
  if (purpose !== null && purpose !== session.purpose) return 'purpose';
  const credits = field(metadata(data), 'credits');
  if (credits !== undefined && credits !== null && declaredCredits(data) !== session.credits) return 'credits';
  return chargeMismatch(data, session.amountCents, session.currency);
}

/**
 * A Pro payment without a payment session (renewals): the charge must be the Pro price, in the
 * currency Pro is sold in (docs/webhook-trust.md).
 */
export function proChargeMismatch(data: JsonObject): string | null {
  return chargeMismatch(data, PRO_PRICE_CENTS, CURRENCY);
}

function chargeMismatch(data: JsonObject, amountCents: number, currency: string): string | null {
  const charge = declaredCharge(data);
  if (charge.amount !== amountCents) return 'amount';
  if (typeof charge.currency !== 'string' || charge.currency.toUpperCase() !== currency.trim().toUpperCase()) {
    return 'currency';
  }
  return null;
}

/** A provider-declared period never covers more than one calendar month from its start. */
export function clampPeriod(period: Period): Period {
  const limit = addCalendarMonth(period.start);
  return period.end.getTime() > limit.getTime() ? { start: period.start, end: limit } : period;
}
