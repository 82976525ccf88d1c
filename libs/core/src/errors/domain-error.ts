import { ERROR_CODES, ErrorCode } from './error-codes';

export interface ErrorDetail {
  field: string;
  message: string;
  [extra: string]: unknown;
}

/** The rate-limit window a request was counted in (docs/api.md §1.12); `resetAt` in epoch milliseconds. */
export interface RateLimitWindow {
  limit: number;
  remaining: number;
  resetAt: number;
}

export interface DomainErrorOptions {
  /** Members of the envelope beside `code` and `message`. */
  extra?: Record<string, unknown>;
  details?: ErrorDetail[];
  /** Seconds until a retry can succeed: the answer's `Retry-After`. */
  retryAfter?: number;
  /** The window the refused request was counted in: the answer's `X-RateLimit-*` headers. */
  rateLimit?: RateLimitWindow;
}

/**
 * Base of every error a service may throw on purpose. The global filter turns it into the
 * envelope of docs/api.md §1.5: `{ error: { code, message, details?, ...extra, request_id } }`, with
 * the code's status (ERROR_CODES) and headers derived from the error's data.
 */
export class DomainError extends Error {
  readonly extra: Record<string, unknown>;
  readonly details?: ErrorDetail[];
  readonly retryAfter?: number;
  readonly rateLimit?: RateLimitWindow;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.extra = options.extra ?? {};
    this.details = options.details;
    this.retryAfter = options.retryAfter;
    this.rateLimit = options.rateLimit;
  }

  /** The HTTP status of the code (docs/api.md §1.8). */
  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export class ValidationError extends DomainError {
  constructor(details: ErrorDetail[], message = 'Request validation failed') {
    super('VALIDATION_ERROR', message, { details });
  }

  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class NotFoundError extends DomainError {
  constructor(resource = 'Resource', options: DomainErrorOptions = {}) {
    super('NOT_FOUND', `${resource} not found`, options);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'You do not have access to this resource') {
    super('FORBIDDEN', message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Authentication required') {
    super('UNAUTHORIZED', message);
  }
}

export class TokenExpiredError extends DomainError {
  constructor() {
    super('TOKEN_EXPIRED', 'Access token expired', { extra: { refresh_required: true } });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, extra: Record<string, unknown> = {}, details?: ErrorDetail[]) {
    super('CONFLICT', message, { extra, details });
  }
}

export class ArchivedError extends DomainError {
  constructor(resource = 'Resource') {
    super('ARCHIVED', `${resource} is archived`);
  }
}

export class LimitExceededError extends DomainError {
  constructor(message: string, limit: number, current: number) {
    super('LIMIT_EXCEEDED', message, { extra: { limit, current } });
  }
}

export class TierRequiredError extends DomainError {
  constructor(currentTier: string, message = 'This feature requires Pro') {
    super('TIER_REQUIRED', message, { extra: { required_tier: 'pro', current_tier: currentTier } });
  }
}

/** Payments unconfigured or failing; here because auth (dev Pro login) and billing both raise it. */
export class PaymentServiceUnavailableError extends DomainError {
  constructor(message = 'The payment service is unavailable; try again later') {
    super('PAYMENT_SERVICE_UNAVAILABLE', message);
  }
}
