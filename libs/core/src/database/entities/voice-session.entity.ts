import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { VoiceSessionEndReason, VoiceSessionStatus } from '../enums';

@Entity({ name: 'voice_sessions' })
export class VoiceSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** At most one `active` session per user (UNIQUE partial index). */
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'status', type: 'text' })
  status: VoiceSessionStatus;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason: VoiceSessionEndReason | null;

  @Column({ name: 'language', type: 'varchar', length: 16, default: 'en' })
  language: string;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true })
  endedAt: Date | null;

  /** 0–300. */
  @Column({ name: 'duration_seconds', type: 'integer', default: 0 })
  durationSeconds: number;

  @Column({ name: 'credits_used', type: 'integer', default: 0 })
  creditsUsed: number;

  @Column({ name: 'transcript', type: 'text', default: '' })
  transcript: string;

  /** The WebSocket error code sent to the client. */
  @Column({ name: 'error_code', type: 'varchar', length: 64, nullable: true })
  errorCode: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
