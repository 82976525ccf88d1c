import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SubtaskSource } from '../enums';

@Entity({ name: 'subtasks' })
export class SubtaskEntity {
  /** Preserved across delete/recover of the parent. */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @Column({ name: 'title', type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'completed', type: 'boolean', default: false })
  completed: boolean;

  /** Set iff completed (CHECK). */
  @Column({ name: 'completed_at', type: 'timestamptz', precision: 3, nullable: true })
  completedAt: Date | null;

  /** Gapless 0…n−1 per task; UNIQUE (task_id, order_index) is DEFERRABLE INITIALLY DEFERRED. */
  @Column({ name: 'order_index', type: 'integer' })
  orderIndex: number;

  @Column({ name: 'source', type: 'text', default: 'user' })
  source: SubtaskSource;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
