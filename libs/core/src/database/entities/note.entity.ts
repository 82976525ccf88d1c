import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TranscriptionStatus } from '../enums';

@Entity({ name: 'notes' })
export class NoteEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** Never overwritten by automation (transcripts go to `transcriptionText`). */
  @Column({ name: 'content', type: 'varchar', length: 2000 })
  content: string;

  @Column({ name: 'archived', type: 'boolean', default: false })
  archived: boolean;

  /** Client-provided; audio is not stored by the backend. */
  @Column({ name: 'voice_url', type: 'text', nullable: true })
  voiceUrl: string | null;

  /** 1–300. */
  @Column({ name: 'voice_duration_seconds', type: 'integer', nullable: true })
  voiceDurationSeconds: number | null;

  @Column({ name: 'transcription_status', type: 'text', nullable: true })
  transcriptionStatus: TranscriptionStatus | null;

  @Column({ name: 'transcription_text', type: 'text', nullable: true })
  transcriptionText: string | null;

  /** Task created by `convert_note`; not a FK (the task may be deleted). */
  @Column({ name: 'converted_task_id', type: 'uuid', nullable: true })
  convertedTaskId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
