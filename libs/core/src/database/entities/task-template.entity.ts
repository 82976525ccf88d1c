import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TaskPriority } from '../enums';

@Entity({ name: 'task_templates' })
export class TaskTemplateEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'title', type: 'varchar', length: 200 })
  title: string;

  @Column({ name: 'description', type: 'text', default: '' })
  description: string;

  @Column({ name: 'priority', type: 'text', default: 'medium' })
  priority: TaskPriority;

  /** Minutes, 1–720. */
  @Column({ name: 'estimated_duration', type: 'integer', nullable: true })
  estimatedDuration: number | null;

  /** As sent, without the `RRULE:` prefix and surrounding whitespace. */
  @Column({ name: 'rrule', type: 'varchar', length: 500 })
  rrule: string;

  @Column({ name: 'dtstart', type: 'timestamptz', precision: 3 })
  dtstart: Date;

  /** Next occurrence to generate; null when inactive or exhausted. */
  @Column({ name: 'next_due', type: 'timestamptz', precision: 3, nullable: true })
  nextDue: Date | null;

  @Column({ name: 'active', type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'last_generated_at', type: 'timestamptz', precision: 3, nullable: true })
  lastGeneratedAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
