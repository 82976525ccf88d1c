import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UserEntity } from '@app/core/database/entities';

/** The user's IANA time zone (profile `timezone`, default UTC), in which quick add reads dates. */
@Injectable()
export class UserTimeZoneReader {
  constructor(private readonly dataSource: DataSource) {}

  async timeZoneOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string> {
    const user = await manager.findOne(UserEntity, { where: { id: userId }, select: { id: true, timezone: true } });
    return user?.timezone ?? 'UTC';
  }
}
