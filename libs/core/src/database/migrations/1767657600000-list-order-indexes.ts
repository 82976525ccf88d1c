import { MigrationInterface, QueryRunner } from 'typeorm';

// Indexes in the exact order of the user-scoped lists that lacked one (issue #7):
// - GET /tasks: `user_id`, newest first with the id tie-break (docs/api.md §1.6), so a page is read in
//   index order without sorting; it supersedes (user_id, created_at DESC).
// - GET /reminders: `user_id` by `scheduled_at`, id; it supersedes (user_id), also for the cascade.
export class ListOrderIndexes1767657600000 implements MigrationInterface {
  name = 'ListOrderIndexes1767657600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX idx_task_instances_user_id_created_at_id ON task_instances (user_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(`DROP INDEX idx_task_instances_user_id_created_at`);
    await queryRunner.query(
      `CREATE INDEX idx_reminders_user_id_scheduled_at_id ON reminders (user_id, scheduled_at, id)`,
    );
    await queryRunner.query(`DROP INDEX idx_reminders_user_id`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX idx_reminders_user_id ON reminders (user_id)`);
    await queryRunner.query(`DROP INDEX idx_reminders_user_id_scheduled_at_id`);
    await queryRunner.query(
      `CREATE INDEX idx_task_instances_user_id_created_at ON task_instances (user_id, created_at DESC)`,
    );
    await queryRunner.query(`DROP INDEX idx_task_instances_user_id_created_at_id`);
  }
}
