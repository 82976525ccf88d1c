import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ReminderMethod, ReminderType } from '../enums';

@Entity({ name: 'reminders' })
export class ReminderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'task_id', type: 'uuid' })
  taskId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'type', type: 'text' })
  type: ReminderType;

  /** Magnitude of the client's signed value: 1–43 200 for `before`/`after`, null for `absolute`. */
  @Column({ name: 'offset_minutes', type: 'integer', nullable: true })
  offsetMinutes: number | null;

  @Column({ name: 'scheduled_at', type: 'timestamptz', precision: 3 })
  scheduledAt: Date;

  @Column({ name: 'method', type: 'text', default: 'in_app' })
  method: ReminderMethod;

  @Column({ name: 'fired', type: 'boolean', default: false })
  fired: boolean;

  @Column({ name: 'fired_at', type: 'timestamptz', precision: 3, nullable: true })
  firedAt: Date | null;

  /** Marked fired without delivery. */
  @Column({ name: 'skipped', type: 'boolean', default: false })
  skipped: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
