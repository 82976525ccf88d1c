import { Injectable } from '@nestjs/common';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import type { ListEnvelope } from '@app/core/http/envelope';
import { paginated } from '@app/core/http/envelope';
import { CreditLedgerRepository } from './credit-ledger.repository';
import { CreditLedgerService } from './credit-ledger.service';
import { nextUtcMidnight } from './credit-rules';
import type { AiCreditsResponseDto } from './dto/ai-credits-response.dto';
import { CreditBalanceDto, toCreditBalance } from './dto/credit-balance.dto';
import type { CreditHistoryQueryDto } from './dto/credit-history-query.dto';
import { CreditLedgerEntryDto, toCreditLedgerEntry } from './dto/credit-ledger-entry.dto';

/** The credit reads of docs/api.md §10.6 and §11; each ensures today's daily lot first. */
@Injectable()
export class CreditsService {
  constructor(
    private readonly credits: CreditLedgerService,
    private readonly ledger: CreditLedgerRepository,
    private readonly limits: EffectiveLimitsService,
    private readonly uow: UnitOfWork,
  ) {}

  async balance(userId: string): Promise<CreditBalanceDto> {
    return toCreditBalance(await this.credits.readBalance(userId));
  }

  async aiCredits(userId: string): Promise<AiCreditsResponseDto> {
    const now = new Date();
    const balance = await this.credits.readBalance(userId, now);
    const limits = await this.limits.forUser(userId);
    return {
      balance: { ...toCreditBalance(balance), daily_free: balance.daily },
      daily_reset_at: nextUtcMidnight(now).toISOString(),
      daily_allowance: limits.dailyCredits,
      tier: limits.tier,
    };
  }

  history(userId: string, query: CreditHistoryQueryDto): Promise<ListEnvelope<CreditLedgerEntryDto>> {
    return this.uow.run(async (tx) => {
      await this.credits.ensureDailyGrant(tx, userId, new Date());
      const { rows, total } = await this.ledger.history(tx.manager, userId, {
        creditType: query.credit_type,
        operation: query.operation,
        offset: query.offset,
        limit: query.limit,
      });
      return paginated(rows.map(toCreditLedgerEntry), query, total);
    });
  }
}
