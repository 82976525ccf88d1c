import { Injectable, OnModuleInit } from '@nestjs/common';
import type { DomainEvent, EventDefinition } from '@app/core/events/domain-event';
import { EventBus } from '@app/core/events/event-bus';
import type { Transaction } from '@app/core/events/transaction';

/**
 * The activity log's `tx` handler (docs/rules.md §12): every event whose definition describes an
 * activity entry writes exactly that entry, in the transaction of the change itself.
 */
@Injectable()
export class ActivityRecorder implements OnModuleInit {
  constructor(private readonly bus: EventBus) {}

  onModuleInit(): void {
    this.bus.onEvery((events, definition, tx) => this.record(events, definition, tx));
  }

  /** One statement however many events were emitted together (a job's batch). */
  private async record(
    events: ReadonlyArray<DomainEvent<unknown>>,
    definition: EventDefinition<unknown>,
    tx: Transaction,
  ): Promise<void> {
    const describe = definition.activity;
    if (!describe) return;
    const entries = events.map((event) => ({ event, entry: describe(event.payload, event) }));
    await tx.manager.query(
      `INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)
       SELECT user_id, entity_type, entity_id, action, source, metadata::jsonb, request_id, created_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
         AS e(user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)`,
      [
        entries.map(({ event }) => event.userId),
        entries.map(({ entry }) => entry.entityType),
        entries.map(({ entry }) => entry.entityId),
        entries.map(({ entry }) => entry.action),
        entries.map(({ event }) => event.source),
        entries.map(({ entry }) => JSON.stringify(entry.metadata ?? {})),
        entries.map(({ event }) => event.requestId),
        entries.map(({ event }) => event.occurredAt),
      ],
    );
  }
}
