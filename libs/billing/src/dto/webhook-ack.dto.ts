import { ApiProperty } from '@nestjs/swagger';

export const WEBHOOK_IGNORE_REASONS = [
  'duplicate',
  'unknown_event_type',
  'unknown_user',
  'unknown_subscription',
  'invalid_payload',
  'session_mismatch',
  'stale_event',
] as const;
export type WebhookIgnoreReason = (typeof WEBHOOK_IGNORE_REASONS)[number];

/** The webhook acknowledgement (not enveloped). */
export class WebhookAckDto {
  @ApiProperty({ enum: ['ok'], enumName: 'WebhookAckStatus', example: 'ok' })
  status: 'ok';

  @ApiProperty({ description: 'Whether the event changed anything', example: true })
  processed: boolean;

  @ApiProperty({
    description: 'Why nothing (more) was done',
    enum: WEBHOOK_IGNORE_REASONS,
    enumName: 'WebhookIgnoreReason',
    required: false,
  })
  reason?: WebhookIgnoreReason;
}
