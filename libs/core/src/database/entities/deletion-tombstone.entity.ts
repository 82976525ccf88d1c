import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TombstoneEntityType } from '../enums';

@Entity({ name: 'deletion_tombstones' })
export class DeletionTombstoneEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Only `task` is produced in v1. */
  @Column({ name: 'entity_type', type: 'text' })
  entityType: TombstoneEntityType;

  /** Id of the deleted row. */
  @Column({ name: 'entity_id', type: 'uuid' })
  entityId: string;

  /** Full snapshot: every task column, all subtasks and all reminders (docs/data-model.md §9). */
  @Column({ name: 'entity_data', type: 'jsonb' })
  entityData: Record<string, unknown>;

  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  deletedAt: Date;

  /** deleted_at + 7 days. */
  @Column({ name: 'recoverable_until', type: 'timestamptz', precision: 3 })
  recoverableUntil: Date;
}
