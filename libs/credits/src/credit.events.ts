import { defineEvent } from '@app/core/events/domain-event';
import type { CreditType } from '@app/core/database/enums';

export interface CreditGrantedPayload {
  credit_type: CreditType;
  amount: number;
  lot_id: string;
  /** Why the credits were granted, e.g. `kickstart`. */
  reason: string;
}

export const CreditGranted = defineEvent<CreditGrantedPayload>('credit.granted', (payload) => ({
  entityType: 'credit',
  entityId: payload.lot_id,
  action: 'credits_granted',
  metadata: { credit_type: payload.credit_type, amount: payload.amount, reason: payload.reason },
}));
