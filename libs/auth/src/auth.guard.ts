import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExtractJwt } from 'passport-jwt';
import { RequestContext } from '@app/core/context/request-context';
import { UnauthorizedError } from '@app/core/errors/domain-error';
import { AuthenticatedRequest, IS_PUBLIC } from '@app/core/http/auth-user';
import { USER_CHECKED_BY_ROUTE } from '@app/core/http/route-user-check';
import { AccessTokenVerifier } from './access-token.verifier';

const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Global guard (APP_GUARD): every HTTP route needs a valid bearer access token unless marked
 * `@Public()`, whose `Authorization` header is then never looked at (docs/api.md §1.4).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // WebSocket gateways authenticate their connections themselves.
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request);
    if (!token) throw new UnauthorizedError('Missing bearer token');
    const userCheckedByRoute = this.reflector.get<boolean | undefined>(USER_CHECKED_BY_ROUTE, context.getHandler());
    const user = await this.verifier.verify(token, userCheckedByRoute ?? false);
    request.user = user;
    const requestContext = RequestContext.current();
    if (requestContext) {
      requestContext.userId = user.id;
      requestContext.tokenId = user.tokenId;
    }
    return true;
  }
}
