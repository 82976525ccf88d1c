import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'focus_sessions' })
export class FocusSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** At most one active (ended_at null) session per user (UNIQUE partial index). */
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true })
  endedAt: Date | null;

  /** 0–43 200; set when ended. */
  @Column({ name: 'duration_seconds', type: 'integer', nullable: true })
  durationSeconds: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
