import { SetMetadata } from '@nestjs/common';
import type { AccessTokenScope } from '@app/core/database/enums';

/**
 * What a personal access token needs on a route (docs/access-tokens.md §2): a scope, `session`
 * (never a personal access token: token management, account deletion, payments), or `tool`
 * (the handler checks the scope of each operation itself, as the MCP endpoint does per tool).
 * Without it, safe methods need `read` and the others `write`.
 */
export type TokenScopeRule = AccessTokenScope | 'session' | 'tool';

export const TOKEN_SCOPE = 'perpetua:tokenScope';

export const TokenScope = (rule: TokenScopeRule): MethodDecorator & ClassDecorator => SetMetadata(TOKEN_SCOPE, rule);
