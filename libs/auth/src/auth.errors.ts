import { DomainError } from '@app/core/errors/domain-error';

export class GoogleAuthFailedError extends DomainError {
  constructor(message = 'Google ID token verification failed') {
    super('GOOGLE_AUTH_FAILED', message);
  }
}

export class AuthProviderUnavailableError extends DomainError {
  constructor(message = 'Google sign-in is not available right now') {
    super('AUTH_PROVIDER_UNAVAILABLE', message);
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor() {
    super('INVALID_REFRESH_TOKEN', 'Refresh token is invalid, expired or revoked');
  }
}
