import { Module } from '@nestjs/common';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { CreditLedgerRepository } from './credit-ledger.repository';
import { CreditLedgerService } from './credit-ledger.service';
import { CreditBatchRepository } from './credit-batch.repository';
import { CreditsJobs } from './credits.jobs';
import { CreditsService } from './credits.service';

/** The credit ledger (docs/rules.md §2) for every feature that grants or charges credits, plus its jobs. */
@Module({
  imports: [EffectiveLimitsModule],
  providers: [CreditLedgerRepository, CreditBatchRepository, CreditLedgerService, CreditsService, CreditsJobs],
  exports: [CreditLedgerService, CreditsService],
})
export class CreditsModule {}
