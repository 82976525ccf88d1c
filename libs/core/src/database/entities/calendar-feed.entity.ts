import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A user's secret calendar feed (docs/calendar-feed.md); one per user, the token stored hashed. */
@Entity({ name: 'calendar_feeds' })
export class CalendarFeedEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** FK users ON DELETE CASCADE, UNIQUE. */
  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** SHA-256 hex of the raw token; the raw token is never stored. */
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  /** SHA-256 hex of the last calendar served (the ETag); null until first served. */
  @Column({ name: 'content_hash', type: 'char', length: 64, nullable: true })
  contentHash: string | null;

  /** Digest of the rows behind `content_hash` (the feed's cheap version stamp); null until first served. */
  @Column({ name: 'content_stamp', type: 'char', length: 32, nullable: true })
  contentStamp: string | null;

  /** When the served content last changed (Last-Modified, whole seconds, strictly increasing). */
  @Column({ name: 'content_changed_at', type: 'timestamptz', precision: 3, nullable: true })
  contentChangedAt: Date | null;

  /** When the current token was issued (creation or rotation). */
  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
