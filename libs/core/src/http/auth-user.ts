import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AccessTokenScope } from '../database/enums';

/** The authenticated caller, as the global auth guard puts it on the request. */
export interface AuthUser {
  id: string;
  email: string;
  /** `jti` of the access token (the AI session, docs/rules.md §2.7). */
  tokenId: string;
  /** Access-token expiry, seconds since the epoch. */
  tokenExpiresAt: number;
  /** Set when the caller authenticated with a personal access token: all it may do (docs/access-tokens.md §2). */
  scopes?: readonly AccessTokenScope[];
}

export type AuthenticatedRequest = Request & { user?: AuthUser };

export const IS_PUBLIC = 'perpetua:isPublic';

/** Marks a route as public: the auth guard never evaluates its `Authorization` header. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a route without authentication');
  return user;
});
