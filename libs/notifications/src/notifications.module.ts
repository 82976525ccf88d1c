import { Module } from '@nestjs/common';
import { NotificationsRepository } from './notifications.repository';
import { NotificationsService } from './notifications.service';
import { PushDeliveryJobs } from './push-delivery.jobs';
import { PushEndpointPolicy } from './push-endpoint-policy';
import { pushHttpsAgentProvider } from './push-https-agent.provider';
import { PushSender } from './push-sender';
import { PushSubscriptionsRepository } from './push-subscriptions.repository';
import { PushSubscriptionsService } from './push-subscriptions.service';

/** In-app notifications and Web Push delivery; `NotificationsService.create` is for every feature. */
@Module({
  providers: [
    NotificationsRepository,
    NotificationsService,
    PushSubscriptionsRepository,
    PushSubscriptionsService,
    PushEndpointPolicy,
    pushHttpsAgentProvider,
    PushSender,
    PushDeliveryJobs,
  ],
  exports: [NotificationsService, PushSubscriptionsService],
})
export class NotificationsModule {}
