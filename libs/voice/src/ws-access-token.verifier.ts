import { Injectable } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AuthGuard } from '@app/auth/auth.guard';
import type { AuthenticatedRequest, AuthUser } from '@app/core/http/auth-user';

/**
 * Verifies a WebSocket access token exactly as HTTP requests are verified (docs/realtime.md §1.1) by
 * running the auth guard on a bearer request built from the token; throws its 401 errors
 * (`UNAUTHORIZED`, `TOKEN_EXPIRED`). The auth library exports no raw-token verifier yet.
 */
@Injectable()
export class WsAccessTokenVerifier {
  constructor(private readonly guard: AuthGuard) {}

  async verify(token: string): Promise<AuthUser> {
    const request = { headers: { authorization: `Bearer ${token}` } } as unknown as AuthenticatedRequest;
    const context = new ExecutionContextHost([request, {}, undefined], WsAccessTokenVerifier, this.verify);
    context.setType('http');
    await this.guard.canActivate(context);
    if (!request.user) throw new Error('the auth guard accepted a token without a user');
    return request.user;
  }
}
