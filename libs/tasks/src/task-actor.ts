import type { ActivitySource } from '@app/core/database/enums';

/** Who causes a change: the user's own request, a confirmed AI action, or automation. */
export interface TaskActor {
  source: ActivitySource;
}

export const USER_ACTOR: TaskActor = { source: 'user' };
