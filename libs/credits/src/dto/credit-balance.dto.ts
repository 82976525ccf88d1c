import { ApiProperty } from '@nestjs/swagger';
import type { BalanceByKind } from '../credit-rules';

/** `GET /credits/balance` (docs/api.md §11): every kind present, `total` their sum. */
export class CreditBalanceDto {
  @ApiProperty({ description: 'Unused kickstart credits', example: 5, minimum: 0 })
  kickstart: number;

  @ApiProperty({ description: "Unused credits of today's daily lot", example: 10, minimum: 0 })
  daily: number;

  @ApiProperty({ description: 'Unused subscription credits', example: 50, minimum: 0 })
  subscription: number;

  @ApiProperty({ description: 'Unused purchased credits', example: 25, minimum: 0 })
  purchased: number;

  @ApiProperty({ description: 'Sum of the four kinds', example: 90, minimum: 0 })
  total: number;
}

export function toCreditBalance(balance: BalanceByKind): CreditBalanceDto {
  return {
    kickstart: balance.kickstart,
    daily: balance.daily,
    subscription: balance.subscription,
    purchased: balance.purchased,
    total: balance.total,
  };
}
