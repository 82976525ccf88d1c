import { Body, Controller, Get, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, ok } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { TokenScope } from '@app/http/token-scope.decorator';
import { CreditPurchaseService } from './credit-purchase.service';
import { CancelResponseDto } from './dto/cancel-response.dto';
import { CheckoutRequestDto } from './dto/checkout-request.dto';
import { CheckoutSessionDto } from './dto/checkout-session.dto';
import { PurchaseCreditsDto } from './dto/purchase-credits.dto';
import { PurchaseCreditsResponseDto } from './dto/purchase-credits-response.dto';
import { SubscriptionStatusDto } from './dto/subscription-status.dto';
import { UpgradeResponseDto } from './dto/upgrade-response.dto';
import { SubscriptionService } from './subscription.service';

@ApiTags('subscription')
@ApiBearerAuth()
@ApiErrors(401, 429)
// Payments need a session; a personal access token may only read the status (docs/access-tokens.md §2).
@TokenScope('session')
@Controller('subscription')
export class SubscriptionController {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly purchases: CreditPurchaseService,
  ) {}

  @Get()
  @TokenScope('read')
  @ApiOperation({ summary: "The caller's subscription status" })
  @ApiDataResponse(SubscriptionStatusDto)
  async status(@CurrentUser() user: AuthUser): Promise<DataEnvelope<SubscriptionStatusDto>> {
    return ok(await this.subscriptions.status(user.id));
  }

  @Post('checkout')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a hosted payment session for Pro (nothing changes until the payment webhook)' })
  @ApiDataResponse(CheckoutSessionDto)
  @ApiErrors(400, [409, 'ALREADY_PRO'], [503, 'PAYMENT_SERVICE_UNAVAILABLE'])
  async checkout(
    @CurrentUser() user: AuthUser,
    @Body() dto: CheckoutRequestDto,
    @Headers('origin') origin: string | undefined,
  ): Promise<DataEnvelope<CheckoutSessionDto>> {
    return ok(await this.subscriptions.checkout(user.id, dto, origin));
  }

  @Post('upgrade')
  @HttpCode(200)
  @ApiOperation({ summary: 'Checkout, answered with the subscription status plus the payment session' })
  @ApiDataResponse(UpgradeResponseDto)
  @ApiErrors(400, [409, 'ALREADY_PRO'], [503, 'PAYMENT_SERVICE_UNAVAILABLE'])
  async upgrade(
    @CurrentUser() user: AuthUser,
    @Body() dto: CheckoutRequestDto,
    @Headers('origin') origin: string | undefined,
  ): Promise<DataEnvelope<UpgradeResponseDto>> {
    return ok(await this.subscriptions.upgrade(user.id, dto, origin));
  }

  @Post('cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel at the period end (Pro until then; nothing is sent to the provider)' })
  @ApiDataResponse(CancelResponseDto)
  @ApiErrors(400, [409, 'NO_ACTIVE_SUBSCRIPTION'])
  async cancel(@CurrentUser() user: AuthUser): Promise<DataEnvelope<CancelResponseDto>> {
    return ok(await this.subscriptions.cancel(user.id));
  }

  @Post('resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo a cancellation while its period lasts (no payment)' })
  @ApiDataResponse(SubscriptionStatusDto)
  @ApiErrors(400, [409, 'NO_ACTIVE_SUBSCRIPTION'])
  async resume(@CurrentUser() user: AuthUser): Promise<DataEnvelope<SubscriptionStatusDto>> {
    return ok(await this.subscriptions.resume(user.id));
  }

  @Post('purchase-credits')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a hosted payment session for AI credits (granted only once paid)' })
  @ApiDataResponse(PurchaseCreditsResponseDto)
  @ApiErrors(400, [409, 'LIMIT_EXCEEDED (monthly purchase cap)'], [503, 'PAYMENT_SERVICE_UNAVAILABLE'])
  async purchaseCredits(
    @CurrentUser() user: AuthUser,
    @Body() dto: PurchaseCreditsDto,
    @Headers('origin') origin: string | undefined,
  ): Promise<DataEnvelope<PurchaseCreditsResponseDto>> {
    return ok(await this.purchases.purchase(user.id, dto, origin));
  }
}
