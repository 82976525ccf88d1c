import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { NotificationType } from '../enums';

@Entity({ name: 'notifications' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'type', type: 'text' })
  type: NotificationType;

  /** Truncated to 100 characters. */
  @Column({ name: 'title', type: 'varchar', length: 100 })
  title: string;

  /** Truncated to 500 characters; the API also returns it as `message`. */
  @Column({ name: 'body', type: 'varchar', length: 500 })
  body: string;

  /** App-relative path, e.g. `/tasks/<id>`. */
  @Column({ name: 'action_url', type: 'varchar', length: 500, nullable: true })
  actionUrl: string | null;

  /** Task a `reminder` notification is about; not a FK (kept after the task is deleted). */
  @Column({ name: 'task_id', type: 'uuid', nullable: true })
  taskId: string | null;

  @Column({ name: 'read', type: 'boolean', default: false })
  read: boolean;

  @Column({ name: 'read_at', type: 'timestamptz', precision: 3, nullable: true })
  readAt: Date | null;

  /** Internal unique dedupe key, e.g. `reminder:<id>`, `achievement:<user>:<id>`. */
  @Column({ name: 'source_ref', type: 'varchar', length: 200, nullable: true })
  sourceRef: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
