import { defineEvent } from '@app/core/events/domain-event';
import type { CreditType } from '@app/core/database/enums';

export interface CreditGrantedPayload {
  credit_type: CreditType;
  amount: number;
  lot_id: string;
  /** Why the credits were granted: `kickstart`, `daily`, `daily_raise`, `subscription`, `purchase`, … */
  reason: string;
}

export interface CreditConsumedPayload {
  /** Credits charged (positive). */
  amount: number;
  operation_ref: string;
  by_type: Partial<Record<CreditType, number>>;
  reservation_id: string;
}

export interface CreditLotChangePayload {
  /** Credits removed from the lot (positive). */
  amount: number;
  lot_id: string;
}

export const CreditGranted = defineEvent<CreditGrantedPayload>(
  'credit.granted',
  (payload) => ({
    entityType: 'credit',
    entityId: payload.lot_id,
    action: 'credits_granted',
    metadata: { credit_type: payload.credit_type, amount: payload.amount, reason: payload.reason },
  }),
  (payload) => ({
    metric: 'credits_granted_total',
    labels: { credit_type: payload.credit_type },
    value: payload.amount,
  }),
);

export const CreditConsumed = defineEvent<CreditConsumedPayload>(
  'credit.consumed',
  (payload) => ({
    entityType: 'credit',
    entityId: payload.reservation_id,
    action: 'credits_consumed',
    metadata: { amount: payload.amount, operation_ref: payload.operation_ref, by_type: payload.by_type },
  }),
  (payload) => ({
    metric: 'ai_credits_consumed_total',
    labels: { operation: payload.operation_ref.split(':')[0] },
    value: payload.amount,
  }),
);

export const CreditExpired = defineEvent<CreditLotChangePayload>('credit.expired', (payload) => ({
  entityType: 'credit',
  entityId: payload.lot_id,
  action: 'credits_expired',
  metadata: { amount: payload.amount },
}));

export const CreditCarryover = defineEvent<CreditLotChangePayload>('credit.carryover', (payload) => ({
  entityType: 'credit',
  entityId: payload.lot_id,
  action: 'credits_carryover',
  metadata: { amount: payload.amount },
}));
