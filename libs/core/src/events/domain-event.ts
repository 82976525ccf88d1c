import type { ActivityEntityType, ActivitySource } from '../database/enums';

export interface ActivityDescriptor {
  entityType: ActivityEntityType;
  entityId: string;
  action: string;
  metadata?: Record<string, unknown>;
}

/** A counter of docs/api.md §17 an event adds to once its transaction committed. */
export interface CountedMetric {
  metric: 'credits_granted_total' | 'ai_credits_consumed_total';
  labels: Record<string, string>;
  value: number;
}

/**
 * A typed event of docs/jobs.md §5. `activity` maps it to its activity-log entry (docs/rules.md §12);
 * events without one (e.g. `notification.created`) are not logged. `counted` names the metric the
 * event adds to after the commit.
 */
export interface EventDefinition<P> {
  readonly type: string;
  readonly activity?: (payload: P, event: DomainEvent<P>) => ActivityDescriptor;
  readonly counted?: (payload: P) => CountedMetric;
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
  /** The change's own statement already wrote this event's activity entry (docs/round-trips.md §4). */
  activityWritten?: boolean;
}

/** The activity-log row of an event, column by column (metadata as JSON text). */
export interface ActivityRow {
  userId: string;
  entityType: ActivityEntityType;
  entityId: string;
  action: string;
  source: ActivitySource;
  metadata: string;
  requestId: string | null;
  createdAt: Date;
}

/** The row an event writes to the activity log (docs/rules.md §12), or null if it writes none. */
export function activityRowOf<P>(definition: EventDefinition<P>, event: DomainEvent<P>): ActivityRow | null {
  if (!definition.activity) return null;
  const entry = definition.activity(event.payload, event);
  return {
    userId: event.userId,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    source: event.source,
    metadata: JSON.stringify(entry.metadata ?? {}),
    requestId: event.requestId,
    createdAt: event.occurredAt,
  };
}

export function defineEvent<P>(
  type: string,
  activity?: (payload: P, event: DomainEvent<P>) => ActivityDescriptor,
  counted?: (payload: P) => CountedMetric,
): EventDefinition<P> {
  return { type, activity, counted };
}
