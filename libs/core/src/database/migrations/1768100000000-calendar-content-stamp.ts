import { MigrationInterface, QueryRunner } from 'typeorm';

// The calendar feed's cheap version stamp (docs/calendar-feed.md): a digest of the rows the feed
// shows, compared before rendering so an unchanged calendar answers 304 without being rendered.
export class CalendarContentStamp1768100000000 implements MigrationInterface {
  name = 'CalendarContentStamp1768100000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE calendar_feeds ADD COLUMN content_stamp char(32)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE calendar_feeds DROP COLUMN content_stamp`);
  }
}
