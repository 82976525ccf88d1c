import type { ActivityEntityType, ActivitySource } from '../database/enums';

export interface ActivityDescriptor {
  entityType: ActivityEntityType;
  entityId: string;
  action: string;
  metadata?: Record<string, unknown>;
}

/**
 * A typed event of docs/jobs.md §5. `activity` maps it to its activity-log entry (docs/rules.md §12);
 * events without one (e.g. `notification.created`) are not logged.
 */
export interface EventDefinition<P> {
  readonly type: string;
  readonly activity?: (payload: P, event: DomainEvent<P>) => ActivityDescriptor;
  /** Phantom marker that carries the payload type. */
  readonly payloadType?: P;
}

export interface DomainEvent<P = unknown> {
  type: string;
  userId: string;
  source: ActivitySource;
  requestId: string | null;
  occurredAt: Date;
  payload: P;
}

export function defineEvent<P>(
  type: string,
  activity?: (payload: P, event: DomainEvent<P>) => ActivityDescriptor,
): EventDefinition<P> {
  return { type, activity };
}
