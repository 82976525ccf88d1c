import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SubscriptionPaymentOutcome, SubscriptionPaymentReporter } from '../enums';

/** Internal: one row per provider payment id applied to a subscription, so each applies once. */
@Entity({ name: 'subscription_payments' })
export class SubscriptionPaymentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Provider payment id (`pay_…`; `dev_<uuid>` for dev login); unique. */
  @Column({ name: 'payment_id', type: 'text' })
  paymentId: string;

  @Column({ name: 'outcome', type: 'text' })
  outcome: SubscriptionPaymentOutcome;

  /** Who reported the payment first. */
  @Column({ name: 'reported_by', type: 'text' })
  reportedBy: SubscriptionPaymentReporter;

  /** The period a captured payment started. */
  @Column({ name: 'period_start', type: 'timestamptz', precision: 3, nullable: true })
  periodStart: Date | null;

  @Column({ name: 'period_end', type: 'timestamptz', precision: 3, nullable: true })
  periodEnd: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
