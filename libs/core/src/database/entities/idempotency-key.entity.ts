import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { IdempotencyState } from '../enums';

/**
 * UNIQUE (user_id, key); written `completed` with the effects, or `in_progress` before an outside
 * provider call (docs/api.md §1.10, docs/data-model.md §21).
 */
@Entity({ name: 'idempotency_keys' })
export class IdempotencyKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'key', type: 'varchar', length: 255 })
  key: string;

  @Column({ name: 'request_method', type: 'varchar', length: 10 })
  requestMethod: string;

  @Column({ name: 'request_path', type: 'varchar', length: 500 })
  requestPath: string;

  /** SHA-256 hex of the raw body. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'state', type: 'text' })
  state: IdempotencyState;

  /** In-progress lease and its owner's token; an `in_progress` row whose lease expired is taken over. */
  @Column({ name: 'locked_until', type: 'timestamptz', precision: 3, nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  /** Only replay-relevant headers (e.g. `Location`). */
  @Column({ name: 'response_headers', type: 'jsonb', nullable: true })
  responseHeaders: Record<string, string> | null;

  /** Stored response body as the JSON text first sent (replayed verbatim); for SSE the final `done` payload. */
  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  /** created_at + 24 h. */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;
}
