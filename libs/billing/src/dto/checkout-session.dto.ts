import { ApiProperty } from '@nestjs/swagger';

export class CheckoutSessionDto {
  @ApiProperty({
    description: 'Hosted payment page to send the user to',
    example: 'https://pay.checkout.com/page/hpp_abc',
  })
  checkout_url: string;

  @ApiProperty({ description: 'Hosted payment session id', example: 'hpp_abc123' })
  session_id: string;
}
