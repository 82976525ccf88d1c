import type { AccessTokenScope } from '@app/core/database/enums';
import { ActivityDescriptor, defineEvent } from '@app/core/events/domain-event';

export interface AccessTokenPayload {
  token_id: string;
  name: string;
  scopes: AccessTokenScope[];
}

const entry =
  (action: string) =>
  (payload: AccessTokenPayload): ActivityDescriptor => ({
    entityType: 'access_token',
    entityId: payload.token_id,
    action,
    // Never the secret or its hint (docs/rules.md §12: no tokens in metadata).
    metadata: { name: payload.name, scopes: payload.scopes },
  });

export const AccessTokenCreated = defineEvent<AccessTokenPayload>(
  'access_token.created',
  entry('access_token_created'),
);
export const AccessTokenRevoked = defineEvent<AccessTokenPayload>(
  'access_token.revoked',
  entry('access_token_revoked'),
);
