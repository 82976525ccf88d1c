import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const DATA_EXPORT_STATUSES = ['pending', 'ready', 'failed'] as const;
export type DataExportStatus = (typeof DATA_EXPORT_STATUSES)[number];

/** A requested personal-data export (docs/export-and-deletion.md); downloadable for 24 h once ready. */
@Entity({ name: 'data_exports' })
export class DataExportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** FK users ON DELETE CASCADE; at most one `pending` export per user (partial unique index). */
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'status', type: 'text', default: 'pending' })
  status: DataExportStatus;

  /** The JSON document, set iff `ready`. */
  @Column({ name: 'content', type: 'text', nullable: true })
  content: string | null;

  /** UTF-8 size of `content`. */
  @Column({ name: 'size_bytes', type: 'integer', nullable: true })
  sizeBytes: number | null;

  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt: Date | null;

  /** completed_at + 24 h; afterwards the export answers 404 and is purged. */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
