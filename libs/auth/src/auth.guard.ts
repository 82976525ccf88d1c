import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import passport from 'passport';
import { RequestContext } from '@app/core/context/request-context';
import { TokenExpiredError, UnauthorizedError } from '@app/core/errors/domain-error';
import { AuthenticatedRequest, AuthUser, IS_PUBLIC } from '@app/core/http/auth-user';
import { USER_CHECKED_BY_ROUTE } from '@app/core/http/route-user-check';
import { JwtStrategy, VerifiedRequest } from './jwt.strategy';

/**
 * Global guard (APP_GUARD): every HTTP route needs a valid bearer access token unless marked
 * `@Public()`, whose `Authorization` header is then never looked at (docs/api.md §1.4).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: JwtStrategy,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // WebSocket gateways authenticate their connections themselves.
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest & VerifiedRequest>();
    request.userCheckedByRoute = this.reflector.get<boolean | undefined>(USER_CHECKED_BY_ROUTE, context.getHandler());
    const user = await this.authenticate(request, http.getResponse<Response>());
    request.user = user;
    const requestContext = RequestContext.current();
    if (requestContext) {
      requestContext.userId = user.id;
      requestContext.tokenId = user.tokenId;
    }
    return true;
  }

  /**
   * Runs the strategy through passport. It is handed a per-request copy of this app's strategy
   * instead of a name: passport's registry is process-global, and it decorates the strategy
   * object with per-request callbacks.
   */
  private authenticate(request: AuthenticatedRequest, response: Response): Promise<AuthUser> {
    return new Promise((resolve, reject) => {
      const strategy = Object.create(this.strategy) as JwtStrategy;
      const middleware = passport.authenticate(
        strategy,
        { session: false },
        (error: unknown, user: AuthUser | false | undefined, info: unknown) => {
          if (error) reject(error);
          else if (user) resolve(user);
          else reject(isExpiry(info) ? new TokenExpiredError() : new UnauthorizedError(describeFailure(info)));
        },
      ) as (req: AuthenticatedRequest, res: Response, next: (error?: unknown) => void) => void;
      middleware(request, response, (error?: unknown) => reject(error ?? new UnauthorizedError()));
    });
  }
}

function isExpiry(info: unknown): boolean {
  return info instanceof Error && info.name === 'TokenExpiredError';
}

function describeFailure(info: unknown): string {
  return info instanceof Error && info.message === 'No auth token' ? 'Missing bearer token' : 'Invalid access token';
}
