import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@app/auth/auth.guard';
import { RequestContext } from '@app/core/context/request-context';
import { AuthenticatedRequest, IS_PUBLIC } from '@app/core/http/auth-user';
import { TOKEN_SCOPE, TokenScopeRule } from '@app/http/token-scope.decorator';
import { ACCESS_TOKEN_PREFIX, requiredScope } from './access-token-rules';
import { AccessTokenAuthenticator } from './access-token.authenticator';
import { assertTokenScope } from './access-tokens.errors';

const BEARER_PAT = new RegExp(`^Bearer\\s+(${ACCESS_TOKEN_PREFIX}\\S*)$`, 'i');

/**
 * The API's authentication guard (APP_GUARD): a bearer token with the `pf_pat_` prefix is a
 * personal access token, checked here along with the route's scope rule (docs/access-tokens.md §2);
 * any other request is the session guard's (JWT access tokens, docs/api.md §1.4).
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: AuthGuard,
    private readonly accessTokens: AccessTokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const secret = context.getType() === 'http' ? BEARER_PAT.exec(request.headers.authorization ?? '')?.[1] : undefined;
    if (secret === undefined || this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) {
      return this.sessions.canActivate(context);
    }
    const user = await this.accessTokens.authenticate(secret, request.ip ?? 'unknown');
    const rule = requiredScope(
      this.reflector.getAllAndOverride<TokenScopeRule | undefined>(TOKEN_SCOPE, targets),
      request.method,
    );
    assertTokenScope(user, rule);
    request.user = user;
    const requestContext = RequestContext.current();
    if (requestContext) {
      requestContext.userId = user.id;
      requestContext.tokenId = user.tokenId;
    }
    return true;
  }
}
