import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TaskCompletionMode, TaskPriority } from '../enums';

@Entity({ name: 'task_instances' })
export class TaskEntity {
  /** Preserved across delete/recover. */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** FK task_templates ON DELETE SET NULL (which leaves `updated_at` unchanged). */
  @Column({ name: 'template_id', type: 'uuid', nullable: true })
  templateId: string | null;

  /** Internal, unique: the completed instance whose completion produced this one. */
  @Column({ name: 'generated_from_task_id', type: 'uuid', nullable: true })
  generatedFromTaskId: string | null;

  @Column({ name: 'title', type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'description', type: 'text', default: '' })
  description: string;

  @Column({ name: 'priority', type: 'text', default: 'medium' })
  priority: TaskPriority;

  @Column({ name: 'due_date', type: 'timestamptz', precision: 3, nullable: true })
  dueDate: Date | null;

  /** Minutes, 1–720. */
  @Column({ name: 'estimated_duration', type: 'integer', nullable: true })
  estimatedDuration: number | null;

  @Column({ name: 'focus_time_seconds', type: 'integer', default: 0 })
  focusTimeSeconds: number;

  @Column({ name: 'completed', type: 'boolean', default: false })
  completed: boolean;

  /** Set iff completed (CHECK). */
  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt: Date | null;

  /** Set iff completed (CHECK). */
  @Column({ name: 'completed_by', type: 'text', nullable: true })
  completedBy: TaskCompletionMode | null;

  /** Internal: true once this task contributed to lifetime count/streak/focus stats; never reset. */
  @Column({ name: 'stats_counted', type: 'boolean', default: false })
  statsCounted: boolean;

  @Column({ name: 'hidden', type: 'boolean', default: false })
  hidden: boolean;

  @Column({ name: 'archived', type: 'boolean', default: false })
  archived: boolean;

  /** Optimistic locking, managed by the service (not TypeORM's @VersionColumn). */
  @Column({ name: 'version', type: 'integer', default: 1 })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
