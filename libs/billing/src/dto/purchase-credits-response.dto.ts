import { ApiProperty } from '@nestjs/swagger';

/** A pending purchase: credits are granted only by the captured-payment webhook. */
export class PurchaseCreditsResponseDto {
  @ApiProperty({ description: 'Always false here: the payment is pending', example: false })
  success: boolean;

  @ApiProperty({ description: 'Always 0 here: nothing is granted before payment', example: 0 })
  credits_purchased: number;

  @ApiProperty({ description: "The user's current total balance (unchanged by this call)", example: 25 })
  new_balance: number;

  @ApiProperty({
    description: 'Hosted payment page to send the user to',
    example: 'https://pay.checkout.com/page/hpp_abc',
  })
  checkout_url: string;

  @ApiProperty({ description: 'Hosted payment session id', example: 'hpp_abc123' })
  session_id: string;

  @ApiProperty({ description: 'Credits being bought', example: 100 })
  credits: number;

  @ApiProperty({ description: 'Price in US cents', example: 1000 })
  amount_cents: number;

  @ApiProperty({ description: 'Currency', example: 'USD' })
  currency: string;

  @ApiProperty({ description: 'Credits granted from purchases this UTC month', example: 0 })
  monthly_purchased: number;

  @ApiProperty({ description: 'Credits that can still be requested now', example: 400 })
  monthly_remaining: number;
}
