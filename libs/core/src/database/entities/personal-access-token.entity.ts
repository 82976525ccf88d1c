import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AccessTokenScope } from '../enums';

/** A personal access token (docs/access-tokens.md §1); the secret itself is never stored. */
@Entity({ name: 'personal_access_tokens' })
export class PersonalAccessTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'text', array: true })
  scopes: AccessTokenScope[];

  /** SHA-256 hex of the whole secret (`pf_pat_…`). */
  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash: string;

  /** The secret's first characters, so the user can tell tokens apart. */
  @Column({ name: 'token_hint', type: 'varchar', length: 16 })
  tokenHint: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3, default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3, nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', precision: 3, nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;
}
