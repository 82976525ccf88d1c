import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { UserTier } from '../enums';

@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Google `sub`; `dev:<email>` for dev-login accounts. */
  @Column({ name: 'google_id', type: 'text' })
  googleId: string;

  /** Unique case-insensitively (unique index on `lower(email)`). */
  @Column({ name: 'email', type: 'text' })
  email: string;

  @Column({ name: 'name', type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'avatar_url', type: 'text', nullable: true })
  avatarUrl: string | null;

  @Column({ name: 'timezone', type: 'varchar', length: 64, default: 'UTC' })
  timezone: string;

  /** Derived from subscription state (docs/rules.md §10), never from client input. */
  @Column({ name: 'tier', type: 'text', default: 'free' })
  tier: UserTier;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  updatedAt: Date;
}
