import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Return URLs of the hosted payment page; derived from the request `Origin` when omitted. */
export class CheckoutRequestDto {
  @ApiProperty({
    description: 'Where the hosted page returns after payment (http(s))',
    required: false,
    example: 'https://app.example.com/dashboard/subscription/success',
  })
  @IsOptional()
  @MaxLength(2048, { message: 'must be at most 2048 characters' })
  @IsString({ message: 'must be a string' })
  success_url?: string;

  @ApiProperty({
    description: 'Where the hosted page returns when the user cancels (http(s))',
    required: false,
    example: 'https://app.example.com/dashboard/credits',
  })
  @IsOptional()
  @MaxLength(2048, { message: 'must be at most 2048 characters' })
  @IsString({ message: 'must be a string' })
  cancel_url?: string;
}
