import { MigrationInterface, QueryRunner } from 'typeorm';

/** The activity entity types the initial schema allows. */
const INITIAL_ENTITY_TYPES = `'task', 'subtask', 'note', 'reminder', 'template', 'subscription', 'achievement',
  'ai_chat', 'credit', 'focus_session', 'voice_session', 'notification', 'user'`;

// Issue #17: personal access tokens (docs/access-tokens.md §1) with their activity entries, and the
// `mcp` activity source of changes made through the MCP endpoint (docs/mcp.md §3).
export class PersonalAccessTokens1768560000000 implements MigrationInterface {
  name = 'PersonalAccessTokens1768560000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE personal_access_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        name varchar(100) NOT NULL,
        scopes text[] NOT NULL,
        token_hash char(64) NOT NULL,
        token_hint varchar(16) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NULL,
        last_used_at timestamptz(3) NULL,
        revoked_at timestamptz(3) NULL,
        CONSTRAINT pk_personal_access_tokens PRIMARY KEY (id),
        CONSTRAINT uq_personal_access_tokens_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_personal_access_tokens_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT chk_personal_access_tokens_scopes CHECK (
          cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'write', 'ai']::text[]
        )
      )`);
    await queryRunner.query(
      `CREATE INDEX idx_personal_access_tokens_user_id_created_at ON personal_access_tokens (user_id, created_at DESC)`,
    );
    await queryRunner.query(`ALTER TABLE activity_logs DROP CONSTRAINT chk_activity_logs_source`);
    await queryRunner.query(
      `ALTER TABLE activity_logs ADD CONSTRAINT chk_activity_logs_source CHECK (source IN ('user', 'ai', 'system', 'mcp'))`,
    );
    await this.entityTypes(queryRunner, `${INITIAL_ENTITY_TYPES}, 'access_token'`);
  }

  private async entityTypes(queryRunner: QueryRunner, types: string): Promise<void> {
    await queryRunner.query(`ALTER TABLE activity_logs DROP CONSTRAINT chk_activity_logs_entity_type`);
    await queryRunner.query(
      `ALTER TABLE activity_logs ADD CONSTRAINT chk_activity_logs_entity_type CHECK (entity_type IN (${types}))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM activity_logs WHERE entity_type = 'access_token' OR source = 'mcp'`);
    await this.entityTypes(queryRunner, INITIAL_ENTITY_TYPES);
    await queryRunner.query(`ALTER TABLE activity_logs DROP CONSTRAINT chk_activity_logs_source`);
    await queryRunner.query(
      `ALTER TABLE activity_logs ADD CONSTRAINT chk_activity_logs_source CHECK (source IN ('user', 'ai', 'system'))`,
    );
    await queryRunner.query(`DROP TABLE personal_access_tokens`);
  }
}
