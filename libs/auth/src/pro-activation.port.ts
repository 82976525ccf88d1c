import type { Transaction } from '@app/core/events/transaction';

/** Injection token of the billing feature's {@link ProActivationPort}. */
export const PRO_ACTIVATION = Symbol('PRO_ACTIVATION');

/** The simulated captured subscription payment of a dev login with `tier: "pro"` (docs/api.md §3). */
export interface DevProActivation {
  userId: string;
  /** `dev_<user id>` */
  checkoutSubscriptionId: string;
  /** `dev_<random uuid>`, the provider payment id of the simulated capture. */
  paymentId: string;
  now: Date;
}

/**
 * Provided by billing: activates Pro inside `tx` exactly as a captured subscription payment would
 * (docs/integrations.md §4): subscription row with a one-month period, tier, credits, events.
 */
export interface ProActivationPort {
  activateFromDevLogin(tx: Transaction, activation: DevProActivation): Promise<void>;
}
