import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { UserAchievementStateEntity, UserEntity } from '@app/core/database/entities';
import { namedStatement, runNamed } from '@app/core/database/named-statement';

const USER_IDENTITY = namedStatement('user_identity', 'SELECT id, email FROM users WHERE id = $1');

export interface NewUser {
  googleId: string;
  email: string;
  name: string;
  avatarUrl: string | null;
}

export type UserChanges = Partial<Pick<UserEntity, 'googleId' | 'name' | 'avatarUrl' | 'timezone'>>;

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { id } });
  }

  /**
   * Id and email of an existing user: the check every authenticated request makes that its
   * token's user still exists, as one named statement (no query builder, no entity mapping).
   */
  async findIdentity(id: string): Promise<{ id: string; email: string } | null> {
    const rows = await runNamed<{ id: string; email: string }>(this.dataSource.manager, USER_IDENTITY, [id]);
    return rows[0] ?? null;
  }

  findByGoogleId(manager: EntityManager, googleId: string): Promise<UserEntity | null> {
    return manager.findOne(UserEntity, { where: { googleId } });
  }

  /** Emails are unique case-insensitively (index on `lower(email)`). */
  findByEmail(manager: EntityManager, email: string): Promise<UserEntity | null> {
    return manager
      .createQueryBuilder(UserEntity, 'user')
      .where('lower(user.email) = lower(:email)', { email })
      .getOne();
  }

  /** Locks the user row for the rest of the transaction; serialises session changes of one user. */
  lockById(manager: EntityManager, id: string): Promise<UserEntity | null> {
    return manager
      .createQueryBuilder(UserEntity, 'user')
      .setLock('for_no_key_update')
      .where('user.id = :id', { id })
      .getOne();
  }

  /** Inserts a free user in UTC together with its achievement state (docs/data-model.md §11). */
  async create(manager: EntityManager, user: NewUser, now: Date): Promise<UserEntity> {
    const entity = manager.create(UserEntity, {
      id: randomUUID(),
      ...user,
      timezone: 'UTC',
      tier: 'free',
      createdAt: now,
      updatedAt: now,
    });
    await manager.insert(UserEntity, entity);
    await manager.insert(UserAchievementStateEntity, {
      id: randomUUID(),
      userId: entity.id,
      lifetimeTasksCompleted: 0,
      currentStreak: 0,
      longestStreak: 0,
      lastCompletionDate: null,
      focusCompletions: 0,
      notesConverted: 0,
      createdAt: now,
      updatedAt: now,
    });
    return entity;
  }

  async update(manager: EntityManager, user: UserEntity, changes: UserChanges, now: Date): Promise<UserEntity> {
    await manager.update(UserEntity, { id: user.id }, { ...changes, updatedAt: now });
    return manager.merge(UserEntity, user, { ...changes, updatedAt: now });
  }
}
