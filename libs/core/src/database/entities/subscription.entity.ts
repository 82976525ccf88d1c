import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SubscriptionStatus } from '../enums';

/** One row per user, reused on re-subscription. */
@Entity({ name: 'subscriptions' })
export class SubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Series id (unique); sent as `metadata.subscription_id` with renewal charges. */
  @Column({ name: 'checkout_subscription_id', type: 'text' })
  checkoutSubscriptionId: string;

  @Column({ name: 'status', type: 'text' })
  status: SubscriptionStatus;

  @Column({ name: 'current_period_start', type: 'timestamptz', precision: 3 })
  currentPeriodStart: Date;

  @Column({ name: 'current_period_end', type: 'timestamptz', precision: 3 })
  currentPeriodEnd: Date;

  @Column({ name: 'cancel_at_period_end', type: 'boolean', default: false })
  cancelAtPeriodEnd: boolean;

  @Column({ name: 'cancelled_at', type: 'timestamptz', precision: 3, nullable: true })
  cancelledAt: Date | null;

  /** Set when entering `grace`. */
  @Column({ name: 'grace_period_end', type: 'timestamptz', precision: 3, nullable: true })
  gracePeriodEnd: Date | null;

  @Column({ name: 'grace_warning_sent', type: 'boolean', default: false })
  graceWarningSent: boolean;

  /** Consecutive declines in the current period. */
  @Column({ name: 'failed_payment_count', type: 'integer', default: 0 })
  failedPaymentCount: number;

  @Column({ name: 'last_payment_at', type: 'timestamptz', precision: 3, nullable: true })
  lastPaymentAt: Date | null;

  @Column({ name: 'last_failed_payment_at', type: 'timestamptz', precision: 3, nullable: true })
  lastFailedPaymentAt: Date | null;

  /** Internal: Checkout.com source id (`src_…`) charged by `subscription_renew`; null → never charged. */
  @Column({ name: 'payment_instrument_id', type: 'text', nullable: true })
  paymentInstrumentId: string | null;

  /** Internal: provider id of the last captured Pro payment; sent as `previous_payment_id`. */
  @Column({ name: 'last_payment_id', type: 'text', nullable: true })
  lastPaymentId: string | null;

  /** Time of the latest payment event applied (docs/billing-events.md §2); older declines and cancellations are stale. */
  @Column({ name: 'last_event_at', type: 'timestamptz', precision: 3, nullable: true })
  lastEventAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
