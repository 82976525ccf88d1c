import { Module } from '@nestjs/common';
import { AchievementsModule } from '@app/achievements/achievements.module';
import { BillingModule } from '@app/billing/billing.module';
import { CreditsModule } from '@app/credits/credits.module';
import { NotificationsModule } from '@app/notifications/notifications.module';
import { AccountDeletionRepository } from './account-deletion.repository';
import { AccountDeletionService } from './account-deletion.service';
import { AccountJobs } from './account.jobs';
import { DataExportService } from './data-export.service';
import { DataExportsRepository } from './data-exports.repository';
import { PersonalDataRepository } from './personal-data.repository';

/** Personal-data export and account deletion (docs/export-and-deletion.md), with their jobs. */
@Module({
  imports: [AchievementsModule, BillingModule, CreditsModule, NotificationsModule],
  providers: [
    DataExportsRepository,
    PersonalDataRepository,
    DataExportService,
    AccountDeletionRepository,
    AccountDeletionService,
    AccountJobs,
  ],
  exports: [DataExportService, AccountDeletionService],
})
export class AccountModule {}
