import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { PaymentSessionPurpose } from '../enums';

/**
 * A captured payment of a deleted account, kept for the bookkeeping retention period without any
 * link to the person (docs/export-and-deletion.md). Internal; never returned by the API.
 */
@Entity({ name: 'retained_payment_records' })
export class RetainedPaymentRecordEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Provider payment id (unique). */
  @Column({ name: 'payment_id', type: 'text' })
  paymentId: string;

  @Column({ name: 'purpose', type: 'text' })
  purpose: PaymentSessionPurpose;

  @Column({ name: 'amount_cents', type: 'integer' })
  amountCents: number;

  @Column({ name: 'currency', type: 'char', length: 3 })
  currency: string;

  /** Credit purchases only. */
  @Column({ name: 'credits', type: 'integer', nullable: true })
  credits: number | null;

  @Column({ name: 'period_start', type: 'timestamptz', precision: 3, nullable: true })
  periodStart: Date | null;

  @Column({ name: 'period_end', type: 'timestamptz', precision: 3, nullable: true })
  periodEnd: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', precision: 3 })
  paidAt: Date;

  @Column({ name: 'account_deleted_at', type: 'timestamptz', precision: 3 })
  accountDeletedAt: Date;

  /** Purged by `data_export_cleanup` from this instant on. */
  @Column({ name: 'retain_until', type: 'timestamptz', precision: 3 })
  retainUntil: Date;
}
