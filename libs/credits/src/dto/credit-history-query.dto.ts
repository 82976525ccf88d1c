import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { CREDIT_OPERATIONS, CREDIT_TYPES, CreditOperation, CreditType } from '@app/core/database/enums';
import { PaginationQueryDto } from '@app/core/validation/pagination-query.dto';
import { QueryIntField } from '@app/core/validation/validators';

/** `GET /credits/history` query (docs/api.md §11): default page size 50. */
export class CreditHistoryQueryDto extends PaginationQueryDto {
  @IsOptional()
  @QueryIntField(1, 100, { default: 50, description: 'Page size (1–100)' })
  override limit: number = 50;

  @ApiProperty({
    description: 'Only entries of this credit type',
    enum: CREDIT_TYPES,
    enumName: 'CreditType',
    required: false,
    example: 'daily',
  })
  @IsOptional()
  @IsIn(CREDIT_TYPES, { message: `must be one of ${CREDIT_TYPES.join(', ')}` })
  credit_type?: CreditType;

  @ApiProperty({
    description: 'Only entries of this operation',
    enum: CREDIT_OPERATIONS,
    enumName: 'CreditOperation',
    required: false,
    example: 'consume',
  })
  @IsOptional()
  @IsIn(CREDIT_OPERATIONS, { message: `must be one of ${CREDIT_OPERATIONS.join(', ')}` })
  operation?: CreditOperation;
}
