import { ApiProperty } from '@nestjs/swagger';
import { USER_TIERS, UserTier } from '@app/core/database/enums';
import { CreditBalanceDto } from './credit-balance.dto';

export class AiCreditBalanceDto extends CreditBalanceDto {
  @ApiProperty({ description: 'Same value as `daily` (web-client name)', example: 8, minimum: 0 })
  daily_free: number;
}

/** `GET /ai/credits` (docs/api.md §10.6). */
export class AiCreditsResponseDto {
  @ApiProperty({ type: AiCreditBalanceDto, description: 'Balance by kind' })
  balance: AiCreditBalanceDto;

  @ApiProperty({
    description: 'Next 00:00 UTC, when the daily lot expires',
    format: 'date-time',
    example: '2026-01-20T00:00:00.000Z',
  })
  daily_reset_at: string;

  @ApiProperty({ description: 'Effective daily credits (tier base plus perks)', example: 12, minimum: 0 })
  daily_allowance: number;

  @ApiProperty({ description: 'Current tier', enum: USER_TIERS, enumName: 'UserTier', example: 'pro' })
  tier: UserTier;
}
