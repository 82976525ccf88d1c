import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PaymentSessionPurpose, PaymentSessionStatus } from '../enums';

@Entity({ name: 'payment_sessions' })
export class PaymentSessionEntity {
  /** Sent to Checkout.com as `reference` and `metadata.payment_session_id`. */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'purpose', type: 'text' })
  purpose: PaymentSessionPurpose;

  /** 1–500; `credit_purchase` only. */
  @Column({ name: 'credits', type: 'integer', nullable: true })
  credits: number | null;

  @Column({ name: 'amount_cents', type: 'integer' })
  amountCents: number;

  @Column({ name: 'currency', type: 'char', length: 3, default: 'USD' })
  currency: string;

  /** Hosted-payment id; unique. */
  @Column({ name: 'provider_session_id', type: 'text', nullable: true })
  providerSessionId: string | null;

  @Column({ name: 'checkout_url', type: 'text', nullable: true })
  checkoutUrl: string | null;

  @Column({ name: 'status', type: 'text', default: 'pending' })
  status: PaymentSessionStatus;

  /** created_at + 24 h. */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
