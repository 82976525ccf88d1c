import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { WebhookEventOutcome } from '../enums';

/** A processed provider webhook event; inserted in the transaction of its effects. */
@Entity({ name: 'webhook_events' })
export class WebhookEventEntity {
  /** Provider event `id`: the deduplication key. */
  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId: string;

  @Column({ name: 'event_type', type: 'varchar', length: 100 })
  eventType: string;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  receivedAt: Date;

  @Column({ name: 'processed_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  processedAt: Date;

  /** `ignored` = unknown type/user/subscription. */
  @Column({ name: 'outcome', type: 'text' })
  outcome: WebhookEventOutcome;

  @Column({ name: 'reason', type: 'varchar', length: 100, nullable: true })
  reason: string | null;

  /** Not a FK. */
  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  /** Raw event, for audit. */
  @Column({ name: 'payload', type: 'jsonb' })
  payload: Record<string, unknown>;
}
