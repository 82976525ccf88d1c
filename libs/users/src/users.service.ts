import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@app/core/errors/domain-error';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { toUserResponse, UserResponseDto } from './dto/user-response.dto';
import type { UpdateUserDto } from './dto/update-user.dto';
import { UserUpdated } from './user.events';
import { UserChanges, UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async getMe(userId: string): Promise<UserResponseDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundError('User');
    return toUserResponse(user);
  }

  /** Applies the fields that differ from the stored ones; a no-op PATCH writes and logs nothing. */
  updateMe(userId: string, dto: UpdateUserDto): Promise<UserResponseDto> {
    return this.uow.run(async (tx) => {
      const user = await this.users.lockById(tx.manager, userId);
      if (!user) throw new NotFoundError('User');
      const changes: UserChanges = {};
      if (dto.name !== undefined && dto.name !== user.name) changes.name = dto.name;
      if (dto.timezone !== undefined && dto.timezone !== user.timezone) changes.timezone = dto.timezone;
      const changedFields = Object.keys(changes);
      if (changedFields.length === 0) return toUserResponse(user);
      const updated = await this.users.update(tx.manager, user, changes, new Date());
      await tx.emit(UserUpdated, { changed_fields: changedFields }, { userId, source: 'user' });
      return toUserResponse(updated);
    });
  }
}
