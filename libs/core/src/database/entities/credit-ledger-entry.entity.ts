import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { CreditEntryStatus, CreditOperation, CreditType } from '../enums';

/** A row of `ai_credit_ledger`: a grant lot (`operation = grant`) or a movement entry. */
@Entity({ name: 'ai_credit_ledger' })
export class CreditLedgerEntryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'credit_type', type: 'text' })
  creditType: CreditType;

  @Column({ name: 'operation', type: 'text' })
  operation: CreditOperation;

  /** Never 0: positive for grants, negative for every other operation. */
  @Column({ name: 'amount', type: 'integer' })
  amount: number;

  /** Grants only (0 ≤ consumed ≤ amount); always 0 on movement entries. */
  @Column({ name: 'consumed', type: 'integer', default: 0 })
  consumed: number;

  /** `pending` = reservation in flight (consume entries only). */
  @Column({ name: 'status', type: 'text', default: 'committed' })
  status: CreditEntryStatus;

  /** User's total balance after this entry; never rewritten. */
  @Column({ name: 'balance_after', type: 'integer' })
  balanceAfter: number;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'expired', type: 'boolean', default: false })
  expired: boolean;

  /** Daily lots only, UTC `YYYY-MM-DD`. */
  @Column({ name: 'grant_date', type: 'date', nullable: true })
  grantDate: string | null;

  /** Lot a consume/expire/carryover entry draws from. */
  @Column({ name: 'source_id', type: 'uuid', nullable: true })
  sourceId: string | null;

  /** e.g. `chat`, `subtask_generation:<task_id>`, `payment:<provider payment id>`, `voice:<session_id>`. */
  @Column({ name: 'operation_ref', type: 'varchar', length: 200, nullable: true })
  operationRef: string | null;

  /** Groups the consume entries of one reservation. */
  @Column({ name: 'reservation_id', type: 'uuid', nullable: true })
  reservationId: string | null;

  @Column({ name: 'description', type: 'varchar', length: 200 })
  description: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
