import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiDataResponse, DataEnvelope, DeletedDto, ok, paginated } from '@app/core/http/envelope';
import { ApiErrors } from '@app/http/error-response.dto';
import { ListNotificationsQueryDto } from './dto/list-notifications-query.dto';
import { NotificationIdParam } from './dto/notification-id.param';
import {
  MarkAllReadResponseDto,
  NotificationListResponseDto,
  NotificationResponseDto,
} from './dto/notification-response.dto';
import { PushSubscriptionResponseDto } from './dto/push-subscription-response.dto';
import { RegisterPushSubscriptionDto } from './dto/register-push-subscription.dto';
import { UnregisterPushSubscriptionQueryDto } from './dto/unregister-push-subscription-query.dto';
import { UpdateNotificationDto } from './dto/update-notification.dto';
import { VapidPublicKeyResponseDto } from './dto/vapid-public-key-response.dto';
import { NotificationsService } from './notifications.service';
import { PushSubscriptionsService } from './push-subscriptions.service';

/** docs/api.md §15. Literal segments are declared before the `{id}` routes so they are never an id. */
@ApiTags('notifications')
@ApiBearerAuth()
@ApiErrors(401, 429)
@Controller('notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly push: PushSubscriptionsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The caller's notifications, newest first, with the unread count" })
  @ApiOkResponse({ type: NotificationListResponseDto })
  @ApiErrors(400)
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<NotificationListResponseDto> {
    const page = await this.notifications.list(user.id, {
      unreadOnly: query.unread_only,
      type: query.type,
      offset: query.offset,
      limit: query.limit,
    });
    return { ...paginated(page.items, query, page.total), unread_count: page.unreadCount };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every unread notification read' })
  @ApiDataResponse(MarkAllReadResponseDto)
  @ApiErrors(400)
  async readAll(@CurrentUser() user: AuthUser): Promise<DataEnvelope<MarkAllReadResponseDto>> {
    return ok({ marked_count: await this.notifications.markAllRead(user.id) });
  }

  @Get('vapid-public-key')
  @ApiOperation({ summary: 'The VAPID public key for Web Push subscriptions' })
  @ApiDataResponse(VapidPublicKeyResponseDto)
  vapidPublicKey(): DataEnvelope<VapidPublicKeyResponseDto> {
    return ok(this.push.vapidPublicKey());
  }

  @Post('push-subscription')
  @ApiOperation({ summary: 'Register a Web Push subscription (201 created, 200 updated)' })
  @ApiDataResponse(PushSubscriptionResponseDto, 201, 'Registered')
  @ApiDataResponse(PushSubscriptionResponseDto, 200, 'Existing endpoint updated')
  @ApiErrors(400)
  async registerPush(
    @CurrentUser() user: AuthUser,
    @Body() dto: RegisterPushSubscriptionDto,
    @Headers('user-agent') userAgent: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DataEnvelope<PushSubscriptionResponseDto>> {
    const { subscription, created } = await this.push.register(user.id, dto, userAgent);
    response.status(created ? 201 : 200);
    return ok(subscription);
  }

  @Delete('push-subscription')
  @ApiOperation({ summary: 'Unregister a Web Push subscription by endpoint' })
  @ApiDataResponse(DeletedDto)
  @ApiErrors(400, 404)
  async unregisterPush(
    @CurrentUser() user: AuthUser,
    @Query() query: UnregisterPushSubscriptionQueryDto,
  ): Promise<DataEnvelope<DeletedDto>> {
    return ok({ id: await this.push.unregister(user.id, query.endpoint), deleted: true });
  }

  @Patch(':id/read')
  @ApiOperation({ summary: 'Mark a notification read (keeps the first read time)' })
  @ApiDataResponse(NotificationResponseDto)
  @ApiErrors(400, 403, 404)
  async markRead(
    @CurrentUser() user: AuthUser,
    @Param() params: NotificationIdParam,
  ): Promise<DataEnvelope<NotificationResponseDto>> {
    return ok(await this.notifications.setRead(user.id, params.id, true));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Mark a notification read or unread' })
  @ApiDataResponse(NotificationResponseDto)
  @ApiErrors(400, 403, 404)
  async update(
    @CurrentUser() user: AuthUser,
    @Param() params: NotificationIdParam,
    @Body() dto: UpdateNotificationDto,
  ): Promise<DataEnvelope<NotificationResponseDto>> {
    return ok(await this.notifications.setRead(user.id, params.id, dto.read));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a notification' })
  @ApiDataResponse(DeletedDto)
  @ApiErrors(400, 403, 404)
  async remove(@CurrentUser() user: AuthUser, @Param() params: NotificationIdParam): Promise<DataEnvelope<DeletedDto>> {
    await this.notifications.remove(user.id, params.id);
    return ok({ id: params.id, deleted: true });
  }
}
