import { Module } from '@nestjs/common';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { CreditLedgerRepository } from './credit-ledger.repository';
import { CreditLedgerService } from './credit-ledger.service';
import { CreditBatchRepository } from './credit-batch.repository';
import { CreditReservationRepository } from './credit-reservation.repository';
import { CreditReservationsService } from './credit-reservations.service';
import { CreditsJobs } from './credits.jobs';
import { CreditsService } from './credits.service';

/** The credit ledger (docs/rules.md §2) for every feature that grants or charges credits, plus its jobs. */
@Module({
  imports: [EffectiveLimitsModule],
  providers: [
    CreditLedgerRepository,
    CreditReservationRepository,
    CreditBatchRepository,
    CreditLedgerService,
    CreditReservationsService,
    CreditsService,
    CreditsJobs,
  ],
  exports: [CreditLedgerService, CreditReservationsService, CreditsService],
})
export class CreditsModule {}
