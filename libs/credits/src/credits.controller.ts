import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, ApiListResponse, DataEnvelope, ListEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { CreditsService } from './credits.service';
import { CreditBalanceDto } from './dto/credit-balance.dto';
import { CreditHistoryQueryDto } from './dto/credit-history-query.dto';
import { CreditLedgerEntryDto } from './dto/credit-ledger-entry.dto';

@ApiTags('credits')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('credits')
export class CreditsController {
  constructor(private readonly credits: CreditsService) {}

  @Get('balance')
  @ApiOperation({ summary: 'AI credit balance by kind' })
  @ApiDataResponse(CreditBalanceDto)
  async balance(@CurrentUser() user: AuthUser): Promise<DataEnvelope<CreditBalanceDto>> {
    return ok(await this.credits.balance(user.id));
  }

  @Get('history')
  @ApiOperation({ summary: 'Committed credit ledger entries, newest first' })
  @ApiListResponse(CreditLedgerEntryDto)
  @ApiErrors(400)
  history(
    @CurrentUser() user: AuthUser,
    @Query() query: CreditHistoryQueryDto,
  ): Promise<ListEnvelope<CreditLedgerEntryDto>> {
    return this.credits.history(user.id, query);
  }
}
