import { Injectable } from '@nestjs/common';
import { Strategy, VerifiedCallback } from 'passport-jwt';
import { TokenExpiredError, UnauthorizedError } from '@app/core/errors/domain-error';
import type { AuthUser } from '@app/core/http/auth-user';
import { UserGoneError } from '@app/core/http/route-user-check';
import { UUID_PATTERN } from '@app/core/validation/validators';
import { UsersRepository } from '@app/users/users.repository';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
} from './jwt.constants';
import { JwtKeysService } from './jwt-keys.service';

interface AccessTokenClaims {
  sub?: unknown;
  email?: unknown;
  type?: unknown;
  jti?: unknown;
  exp?: unknown;
}

/** What the strategy is handed in place of a request: the raw token and how much to check. */
interface PresentedToken {
  token: string;
  /** The route checks in its own first statement that the user exists (docs/round-trips.md §1). */
  userCheckedByRoute: boolean;
}

/** The callbacks passport-strategy's contract lets `authenticate` call, set per attempt. */
type Attempt = Pick<Strategy, 'authenticate' | 'success' | 'fail' | 'error'>;

/**
 * The one verification of access tokens, for HTTP requests (the auth guard, docs/api.md §1.4) and
 * WebSocket connections (docs/realtime.md §1.1) alike: passport-jwt's strategy with RS256 only,
 * signed by the key its `kid` names (current or retired; a retired key also for a `kid` naming no
 * known key), this issuer and audience, 30 s skew, `type: "access"`, and a user that still exists.
 * Throws `UNAUTHORIZED` (`UserGoneError` for a deleted user) or `TOKEN_EXPIRED`.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly strategy: Strategy;

  constructor(
    keys: JwtKeysService,
    private readonly users: UsersRepository,
  ) {
    this.strategy = new Strategy(
      {
        jwtFromRequest: (presented: PresentedToken) => presented.token,
        secretOrKeyProvider: (_presented: unknown, rawJwtToken: string, done: (err: unknown, key?: string) => void) => {
          const key = keys.verificationKeyFor(rawJwtToken);
          // jsonwebtoken verifies with a KeyObject as well (the typings only name string | Buffer).
          if (key) done(null, key as unknown as string);
          else done(new Error('token names no known signing key'));
        },
        algorithms: ['RS256'],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        jsonWebTokenOptions: { clockTolerance: ACCESS_TOKEN_CLOCK_TOLERANCE_SECONDS },
        passReqToCallback: true,
      },
      (presented: PresentedToken, claims: AccessTokenClaims, done: VerifiedCallback) => {
        this.identify(claims, presented.userCheckedByRoute).then(
          (user) => done(null, user),
          (error: unknown) => done(error),
        );
      },
    );
  }

  /** The caller of `token`; with `userCheckedByRoute` the user's existence is left to the route. */
  verify(token: string, userCheckedByRoute = false): Promise<AuthUser> {
    return new Promise((resolve, reject) => {
      // passport's own way of running a strategy: a per-attempt object carrying the callbacks.
      const attempt = Object.create(this.strategy) as Attempt;
      attempt.success = (user: AuthUser) => resolve(user);
      attempt.fail = (info: unknown) =>
        reject(isExpiry(info) ? new TokenExpiredError() : new UnauthorizedError(describeFailure(info)));
      attempt.error = reject;
      const presented: PresentedToken = { token, userCheckedByRoute };
      attempt.authenticate(presented as never);
    });
  }

  private async identify(claims: AccessTokenClaims, userCheckedByRoute: boolean): Promise<AuthUser> {
    const { sub, type, jti, exp, email } = claims;
    if (type !== ACCESS_TOKEN_TYPE || typeof sub !== 'string' || !UUID_PATTERN.test(sub)) {
      throw new UnauthorizedError('Invalid access token');
    }
    if (typeof jti !== 'string' || jti === '' || typeof exp !== 'number') {
      throw new UnauthorizedError('Invalid access token');
    }
    const id = sub.toLowerCase();
    if (userCheckedByRoute) {
      return { id, email: typeof email === 'string' ? email : '', tokenId: jti, tokenExpiresAt: exp };
    }
    const user = await this.users.findIdentity(id);
    if (!user) throw new UserGoneError();
    return { id: user.id, email: user.email, tokenId: jti, tokenExpiresAt: exp };
  }
}

function isExpiry(info: unknown): boolean {
  return info instanceof Error && info.name === 'TokenExpiredError';
}

function describeFailure(info: unknown): string {
  return info instanceof Error && info.message === 'No auth token' ? 'Missing bearer token' : 'Invalid access token';
}
