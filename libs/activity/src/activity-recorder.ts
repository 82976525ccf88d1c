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
    this.bus.onEvery((event, definition, tx) => this.record(event, definition, tx));
  }

  private async record(
    event: DomainEvent<unknown>,
    definition: EventDefinition<unknown>,
    tx: Transaction,
  ): Promise<void> {
    if (!definition.activity) return;
    const entry = definition.activity(event.payload, event);
    await tx.manager.query(
      `INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        event.userId,
        entry.entityType,
        entry.entityId,
        entry.action,
        event.source,
        JSON.stringify(entry.metadata ?? {}),
        event.requestId,
        event.occurredAt,
      ],
    );
  }
}
