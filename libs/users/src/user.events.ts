import { defineEvent } from '@app/core/events/domain-event';

export type LoginMethod = 'google' | 'dev';

export interface UserCreatedPayload {
  method: LoginMethod;
}

export interface UserLoggedInPayload {
  method: LoginMethod;
}

export interface UserUpdatedPayload {
  changed_fields: string[];
}

export const UserCreated = defineEvent<UserCreatedPayload>('user.created', (payload, event) => ({
  entityType: 'user',
  entityId: event.userId,
  action: 'user_created',
  metadata: { method: payload.method },
}));

export const UserLoggedIn = defineEvent<UserLoggedInPayload>('user.logged_in', (payload, event) => ({
  entityType: 'user',
  entityId: event.userId,
  action: 'user_logged_in',
  metadata: { method: payload.method },
}));

export const UserUpdated = defineEvent<UserUpdatedPayload>('user.updated', (payload, event) => ({
  entityType: 'user',
  entityId: event.userId,
  action: 'user_updated',
  metadata: { changed_fields: payload.changed_fields },
}));
