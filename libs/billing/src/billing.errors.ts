import { DomainError } from '@app/core/errors/domain-error';

export class WebhookNotConfiguredError extends DomainError {
  constructor() {
    super('WEBHOOK_NOT_CONFIGURED', 'Payment webhooks are not configured (CHECKOUT_WEBHOOK_SECRET is unset)');
  }
}

export class InvalidSignatureError extends DomainError {
  constructor() {
    super('INVALID_SIGNATURE', 'Webhook signature missing or invalid');
  }
}

export class AlreadyProError extends DomainError {
  constructor() {
    super('ALREADY_PRO', 'You already have an active Pro subscription');
  }
}

export class NoActiveSubscriptionError extends DomainError {
  constructor(message: string) {
    super('NO_ACTIVE_SUBSCRIPTION', message);
  }
}
