import { DomainError, ServiceUnavailableError } from '@app/core/errors/domain-error';

export class GoogleAuthFailedError extends DomainError {
  constructor(message = 'Google ID token verification failed') {
    super(401, 'GOOGLE_AUTH_FAILED', message);
  }
}

export class AuthProviderUnavailableError extends ServiceUnavailableError {
  constructor(message = 'Google sign-in is not available right now') {
    super('AUTH_PROVIDER_UNAVAILABLE', message);
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor() {
    super(401, 'INVALID_REFRESH_TOKEN', 'Refresh token is invalid, expired or revoked');
  }
}
