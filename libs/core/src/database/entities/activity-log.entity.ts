import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ActivityEntityType, ActivitySource } from '../enums';

/** Append-only; purged after 30 days. */
@Entity({ name: 'activity_logs' })
export class ActivityLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType: ActivityEntityType;

  /** Text so achievement ids fit; meaning per entity type in docs/data-model.md §20. */
  @Column({ name: 'entity_id', type: 'varchar', length: 64 })
  entityId: string;

  @Column({ name: 'action', type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'source', type: 'text' })
  source: ActivitySource;

  /** Never contains note content, tokens or secrets. */
  @Column({ name: 'metadata', type: 'jsonb', default: () => "'{}'::jsonb" })
  metadata: Record<string, unknown>;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;
}
