import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { CheckoutRequestDto } from './checkout-request.dto';

export class PurchaseCreditsDto extends CheckoutRequestDto {
  @ApiProperty({ description: 'Credits to buy (10 US cents each)', minimum: 1, maximum: 500, example: 100 })
  @Min(1, { message: 'must be at least 1' })
  @Max(500, { message: 'must be at most 500' })
  @IsInt({ message: 'must be an integer' })
  amount: number;
}
