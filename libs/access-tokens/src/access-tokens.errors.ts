import { DomainError } from '@app/core/errors/domain-error';
import type { AccessTokenScope } from '@app/core/database/enums';
import type { AuthUser } from '@app/core/http/auth-user';
import type { TokenScopeRule } from '@app/http/token-scope.decorator';
import { missingScope } from './access-token-rules';

export class InsufficientScopeError extends DomainError {
  constructor(scope: AccessTokenScope) {
    super('INSUFFICIENT_SCOPE', `This personal access token lacks the ${scope} scope`, {
      extra: { required_scope: scope },
    });
  }
}

export class SessionRequiredError extends DomainError {
  constructor() {
    super(
      'SESSION_REQUIRED',
      'Personal access tokens cannot manage tokens, delete the account or make payments: sign in to do this',
    );
  }
}

/** Refuses a personal access token that does not satisfy `rule`; a session's access token may do anything. */
export function assertTokenScope(user: AuthUser, rule: TokenScopeRule): void {
  if (!user.scopes) return;
  const missing = missingScope(user.scopes, rule);
  if (missing === 'session') throw new SessionRequiredError();
  if (missing) throw new InsufficientScopeError(missing);
}
