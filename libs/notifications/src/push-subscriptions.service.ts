import { Injectable } from '@nestjs/common';
import { ErrorDetail, NotFoundError, ValidationError } from '@app/core/errors/domain-error';
import { PushSubscriptionResponseDto, toPushSubscriptionResponse } from './dto/push-subscription-response.dto';
import { RegisterPushSubscriptionDto } from './dto/register-push-subscription.dto';
import { VapidPublicKeyResponseDto } from './dto/vapid-public-key-response.dto';
import { truncateCodePoints } from './notification-rules';
import { PushEndpointPolicy } from './push-endpoint-policy';
import { PushSender } from './push-sender';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';

const USER_AGENT_MAX = 512;

@Injectable()
export class PushSubscriptionsService {
  constructor(
    private readonly subscriptions: PushSubscriptionsRepository,
    private readonly policy: PushEndpointPolicy,
    private readonly sender: PushSender,
  ) {}

  vapidPublicKey(): VapidPublicKeyResponseDto {
    return { enabled: this.sender.enabled, public_key: this.sender.publicKey };
  }

  /** Stored even while push is disabled; an endpoint registered before moves to this user. */
  async register(
    userId: string,
    dto: RegisterPushSubscriptionDto,
    userAgent: string | undefined,
  ): Promise<{ subscription: PushSubscriptionResponseDto; created: boolean }> {
    const p256dh = dto.keys?.p256dh ?? dto.p256dh_key;
    const auth = dto.keys?.auth ?? dto.auth_key;
    const problems: ErrorDetail[] = [];
    const endpointProblem = await this.policy.problem(dto.endpoint);
    if (endpointProblem) problems.push({ field: 'endpoint', message: endpointProblem });
    if (!p256dh) problems.push({ field: dto.keys ? 'keys.p256dh' : 'p256dh_key', message: 'is required' });
    if (!auth) problems.push({ field: dto.keys ? 'keys.auth' : 'auth_key', message: 'is required' });
    if (problems.length > 0 || !p256dh || !auth) throw new ValidationError(problems);
    const { subscription, created } = await this.subscriptions.upsert({
      userId,
      endpoint: dto.endpoint,
      p256dhKey: p256dh,
      authKey: auth,
      userAgent: userAgent ? truncateCodePoints(userAgent, USER_AGENT_MAX) : null,
      now: new Date(),
    });
    return { subscription: toPushSubscriptionResponse(subscription), created };
  }

  /** The endpoint is a lookup value: another user's registration is simply not found (404). */
  async unregister(userId: string, endpoint: string): Promise<string> {
    const id = await this.subscriptions.deleteForUser(userId, endpoint);
    if (!id) throw new NotFoundError('Push subscription');
    return id;
  }
}
