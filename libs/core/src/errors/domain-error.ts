export interface ErrorDetail {
  field: string;
  message: string;
  [extra: string]: unknown;
}

/**
 * Base of every error a service may throw on purpose. The global filter turns it into the
 * envelope of docs/api.md §1.5: `{ error: { code, message, details?, ...extra, request_id } }` with `status`.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly details?: ErrorDetail[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(details: ErrorDetail[], message = 'Request validation failed') {
    super(400, 'VALIDATION_ERROR', message, {}, details);
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class NotFoundError extends DomainError {
  constructor(resource = 'Resource') {
    super(404, 'NOT_FOUND', `${resource} not found`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You do not have access to this resource') {
    super(403, 'FORBIDDEN', message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Authentication required') {
    super(401, 'UNAUTHORIZED', message, {}, undefined, { 'WWW-Authenticate': 'Bearer' });
  }
}

export class TokenExpiredError extends DomainError {
  constructor() {
    super(401, 'TOKEN_EXPIRED', 'Access token expired', { refresh_required: true }, undefined, {
      'WWW-Authenticate': 'Bearer error="invalid_token", error_description="The access token expired"',
    });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, extra: Record<string, unknown> = {}, details?: ErrorDetail[]) {
    super(409, 'CONFLICT', message, extra, details);
  }
}

export class ArchivedError extends DomainError {
  constructor(resource = 'Resource') {
    super(409, 'ARCHIVED', `${resource} is archived`);
  }
}

export class LimitExceededError extends DomainError {
  constructor(message: string, limit: number, current: number) {
    super(409, 'LIMIT_EXCEEDED', message, { limit, current });
  }
}

export class TierRequiredError extends DomainError {
  constructor(currentTier: string, message = 'This feature requires Pro') {
    super(403, 'TIER_REQUIRED', message, { required_tier: 'pro', current_tier: currentTier });
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(code: string, message: string) {
    super(503, code, message);
  }
}

/** Payments unconfigured or failing; here because auth (dev Pro login) and billing both raise it. */
export class PaymentServiceUnavailableError extends ServiceUnavailableError {
  constructor(message = 'The payment service is unavailable; try again later') {
    super('PAYMENT_SERVICE_UNAVAILABLE', message);
  }
}
