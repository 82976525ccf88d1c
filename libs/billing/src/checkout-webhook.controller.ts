import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/core/http/auth-user';
import { ApiErrors } from '@app/http/error-response.dto';
import { SkipRateLimit } from '@app/http/rate-limit-bucket.decorator';
import type { RequestWithRawBody } from '@app/http/request-gate';
import { CheckoutWebhookService } from './checkout-webhook.service';
import { WebhookAckDto } from './dto/webhook-ack.dto';

@ApiTags('webhooks')
@Controller('webhooks')
export class CheckoutWebhookController {
  constructor(private readonly webhooks: CheckoutWebhookService) {}

  @Post('checkout')
  @Public()
  @SkipRateLimit()
  @HttpCode(200)
  @ApiOperation({ summary: 'Checkout.com payment events (signed with Cko-Signature; processed once per event id)' })
  @ApiHeader({ name: 'Cko-Signature', required: true, description: 'Hex HMAC-SHA256 of the raw body' })
  @ApiBody({
    description: 'A Checkout.com event (docs/integrations.md §4.3); verified over the raw bytes before parsing',
    schema: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', example: 'evt_az5sblvku4ge3dwpztvyizgcau', description: 'Event id (deduplication key)' },
        type: {
          type: 'string',
          example: 'payment_captured',
          description: 'Event type (`event_type` accepted instead)',
        },
        created_on: { type: 'string', format: 'date-time', description: 'Event time' },
        data: { type: 'object', description: 'Event data: payment id, source, reference, metadata, …' },
      },
    },
  })
  @ApiOkResponse({ type: WebhookAckDto, description: 'Acknowledged (not enveloped)' })
  @ApiErrors(
    400,
    [401, 'INVALID_SIGNATURE'],
    413,
    415,
    [500, 'INTERNAL_ERROR (transient; not recorded, the retry is processed)'],
    [503, 'WEBHOOK_NOT_CONFIGURED'],
  )
  receive(
    @Req() request: RequestWithRawBody,
    @Headers('cko-signature') signature: string | undefined,
  ): Promise<WebhookAckDto> {
    return this.webhooks.receive(request.rawBody ?? Buffer.alloc(0), signature, request.headers['content-type']);
  }
}
