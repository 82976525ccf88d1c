import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotFoundError, ValidationError } from '@app/core/errors/domain-error';
import type { DeletedDto } from '@app/core/http/envelope';
import { confirmsDeletion, paymentRecordRetainUntil } from './account-rules';
import { AccountDeletionRepository } from './account-deletion.repository';

/**
 * `DELETE /api/v1/users/me` (docs/export-and-deletion.md): one transaction removes the user and
 * everything that belongs to them. What stays: pseudonymous payment records (bookkeeping) and
 * pseudonymized webhook audit rows (until their 90-day purge).
 */
@Injectable()
export class AccountDeletionService {
  private readonly logger = new Logger(AccountDeletionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountDeletionRepository,
  ) {}

  async delete(userId: string, confirm: string): Promise<DeletedDto> {
    const now = new Date();
    await this.dataSource.transaction(async (manager) => {
      const email = await this.accounts.lockUser(manager, userId);
      if (email === null) throw new NotFoundError('User');
      if (!confirmsDeletion(confirm, email)) {
        throw ValidationError.field('confirm', "must be the account's email address");
      }
      await this.accounts.suppressSyncLog(manager);
      await this.accounts.retainPayments(manager, userId, now, paymentRecordRetainUntil(now));
      await this.accounts.pseudonymizeWebhookEvents(manager, userId);
      // Cascades to tasks, notes, tokens, the subscription (never charged again), exports, feeds, …
      await this.accounts.deleteUser(manager, userId);
      await this.accounts.deleteSyncChanges(manager, userId);
    });
    this.logger.log({ user_id: userId }, 'account deleted');
    return { id: userId, deleted: true };
  }
}
