import { DomainError } from '../errors/domain-error';

export class IdempotencyConflictError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was already used with a different request');
  }
}

export class IdempotencyInProgressError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_IN_PROGRESS', 'The original request with this Idempotency-Key is still running', {
      retryAfter: 1,
    });
  }
}
