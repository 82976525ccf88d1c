import { ApiProperty } from '@nestjs/swagger';
import { SUBSCRIPTION_STATUSES, SubscriptionStatus, USER_TIERS, UserTier } from '@app/core/database/enums';

export class SubscriptionFeaturesDto {
  @ApiProperty({ description: 'Subtasks per task on the current tier', example: 10 })
  max_subtasks: number;

  @ApiProperty({ description: 'Task/template description length on the current tier', example: 2000 })
  max_description_length: number;

  @ApiProperty({ description: 'Voice notes and transcription', example: true })
  voice_notes: boolean;

  @ApiProperty({ description: 'Subscription credits per billing period', example: 100 })
  monthly_credits: number;
}

/** The subscription status object (docs/api.md §14): every key always present. */
export class SubscriptionStatusDto {
  @ApiProperty({ description: 'Current tier', enum: USER_TIERS, enumName: 'UserTier', example: 'pro' })
  tier: UserTier;

  @ApiProperty({
    description: 'Subscription status; null when the user never subscribed',
    enum: SUBSCRIPTION_STATUSES,
    enumName: 'SubscriptionStatus',
    nullable: true,
    example: 'active',
  })
  status: SubscriptionStatus | null;

  @ApiProperty({
    description: 'Start of the current period',
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-01-19T10:30:00.000Z',
  })
  current_period_start: string | null;

  @ApiProperty({
    description: 'End of the current period',
    type: String,
    format: 'date-time',
    nullable: true,
    example: '2026-02-19T10:30:00.000Z',
  })
  current_period_end: string | null;

  @ApiProperty({ description: 'Cancelled: Pro ends at the period end', example: false })
  cancel_at_period_end: boolean;

  @ApiProperty({
    description: 'End of the grace period after 3 failed payments',
    type: String,
    format: 'date-time',
    nullable: true,
    example: null,
  })
  grace_period_end: string | null;

  @ApiProperty({ description: 'Consecutive failed payments in this period', example: 0 })
  failed_payment_count: number;

  @ApiProperty({ type: SubscriptionFeaturesDto })
  features: SubscriptionFeaturesDto;

  @ApiProperty({ description: 'Credits bought this UTC month', example: 0 })
  monthly_credits_purchased: number;

  @ApiProperty({ description: 'Purchase cap per UTC month', example: 500 })
  max_monthly_credit_purchase: number;
}
