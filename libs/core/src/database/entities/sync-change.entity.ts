import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SYNC_ENTITY_TYPES = ['task', 'subtask', 'reminder', 'note', 'template'] as const;
export type SyncEntityType = (typeof SYNC_ENTITY_TYPES)[number];

/**
 * The latest change of one synced entity (docs/sync.md). Written only by the database triggers of
 * migration 1767484800000, never by application code.
 */
@Entity({ name: 'sync_changes' })
export class SyncChangeEntity {
  @PrimaryColumn({ name: 'entity_type', type: 'text' })
  entityType: SyncEntityType;

  @PrimaryColumn({ name: 'entity_id', type: 'uuid' })
  entityId: string;

  /** Not a FK: account deletion removes the user's rows explicitly. */
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** The writing transaction (`pg_current_xact_id()`); bigint, read as a string. */
  @Column({ name: 'txid', type: 'bigint' })
  txid: string;

  /** Order within the transaction (`sync_change_seq`). */
  @Column({ name: 'seq', type: 'bigint' })
  seq: string;

  @Column({ name: 'deleted', type: 'boolean', default: false })
  deleted: boolean;

  @Column({ name: 'changed_at', type: 'timestamptz', precision: 3 })
  changedAt: Date;
}
