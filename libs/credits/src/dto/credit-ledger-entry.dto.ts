import { ApiProperty } from '@nestjs/swagger';
import { CREDIT_OPERATIONS, CREDIT_TYPES, CreditOperation, CreditType } from '@app/core/database/enums';
import type { LedgerRow } from '../credit-ledger.repository';
import { historyCategory, historyType } from '../credit-rules';

/** A credit history item (docs/api.md §2 CreditLedgerEntry): ledger fields plus the web client's `type`/`category`. */
export class CreditLedgerEntryDto {
  @ApiProperty({ description: 'Entry id', format: 'uuid', example: '6f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  id: string;

  @ApiProperty({ description: 'Owner', format: 'uuid', example: '3f1c2b7e-9a4d-4e21-8c55-0b6a1d2e3f40' })
  user_id: string;

  @ApiProperty({
    description: '`grant` for grants, `deduct` for consume, expire and carryover entries',
    enum: ['grant', 'deduct'],
    enumName: 'CreditDirection',
    example: 'deduct',
  })
  type: 'grant' | 'deduct';

  @ApiProperty({
    description: '`ai` for consume entries, otherwise the credit type (`purchase` for purchased)',
    enum: ['ai', 'kickstart', 'daily', 'subscription', 'purchase'],
    enumName: 'CreditCategory',
    example: 'ai',
  })
  category: 'ai' | 'kickstart' | 'daily' | 'subscription' | 'purchase';

  @ApiProperty({ description: 'Kind of credits', enum: CREDIT_TYPES, enumName: 'CreditType', example: 'daily' })
  credit_type: CreditType;

  @ApiProperty({
    description: 'Ledger operation',
    enum: CREDIT_OPERATIONS,
    enumName: 'CreditOperation',
    example: 'consume',
  })
  operation: CreditOperation;

  @ApiProperty({ description: 'Signed amount: positive for grants, negative otherwise', example: -1 })
  amount: number;

  @ApiProperty({ description: 'Total balance after this entry', example: 13, minimum: 0 })
  balance_after: number;

  @ApiProperty({ description: 'What the entry is for', type: String, nullable: true, example: 'chat' })
  operation_ref: string | null;

  @ApiProperty({ description: 'For grants: credits already used; 0 for other entries', example: 0, minimum: 0 })
  consumed: number;

  @ApiProperty({
    description: 'When a daily lot expires',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  expires_at: string | null;

  @ApiProperty({ description: 'Whether the lot was marked expired', example: false })
  expired: boolean;

  @ApiProperty({
    description: 'The grant lot the entry draws from',
    type: String,
    format: 'uuid',
    nullable: true,
    example: null,
  })
  source_id: string | null;

  @ApiProperty({ description: 'Short human-readable text', example: 'AI chat message' })
  description: string;

  @ApiProperty({ description: 'When the entry was written', format: 'date-time', example: '2026-01-19T10:30:00.000Z' })
  created_at: string;
}

export function toCreditLedgerEntry(row: LedgerRow): CreditLedgerEntryDto {
  return {
    id: row.id,
    user_id: row.user_id,
    type: historyType(row.operation),
    category: historyCategory(row.operation, row.credit_type),
    credit_type: row.credit_type,
    operation: row.operation,
    amount: row.amount,
    balance_after: row.balance_after,
    operation_ref: row.operation_ref,
    consumed: row.operation === 'grant' ? row.consumed : 0,
    expires_at: row.expires_at ? row.expires_at.toISOString() : null,
    expired: row.expired,
    source_id: row.source_id,
    description: row.description,
    created_at: row.created_at.toISOString(),
  };
}
