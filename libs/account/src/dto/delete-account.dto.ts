import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

/** The explicit confirmation `DELETE /api/v1/users/me` requires. */
export class DeleteAccountDto {
  @ApiProperty({
    description: "The account's email address, typed by the user (case-insensitive)",
    example: 'ada@example.com',
  })
  @IsString({ message: "must be the account's email address" })
  confirm: string;
}
