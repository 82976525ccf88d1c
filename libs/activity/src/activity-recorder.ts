import { Injectable } from '@nestjs/common';
import { activityRowOf, ActivityRow, DomainEvent, EventDefinition } from '@app/core/events/domain-event';
import { OnEveryDomainEvent } from '@app/core/events/on-domain-event.decorator';
import { namedStatement, runNamed } from '@app/core/database/named-statement';
import type { Transaction } from '@app/core/events/transaction';

const INSERT_ENTRIES = namedStatement(
  'activity_insert',
  `INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)
   SELECT user_id, entity_type, entity_id, action, source, metadata::jsonb, request_id, created_at
   FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[])
     AS e(user_id, entity_type, entity_id, action, source, metadata, request_id, created_at)`,
);

/**
 * The activity log's `tx` handler (docs/rules.md §12): every event whose definition describes an
 * activity entry writes exactly that entry, in the transaction of the change itself (unless the
 * change's own statement wrote it: docs/round-trips.md §4).
 */
@Injectable()
export class ActivityRecorder {
  /** One statement however many events were emitted together (a job's batch). */
  @OnEveryDomainEvent()
  async record(
    events: ReadonlyArray<DomainEvent<unknown>>,
    definition: EventDefinition<unknown>,
    tx: Transaction,
  ): Promise<void> {
    const rows = events
      .filter((event) => !event.activityWritten)
      .map((event) => activityRowOf(definition, event))
      .filter((row): row is ActivityRow => row !== null);
    if (rows.length === 0) return;
    await runNamed(tx.manager, INSERT_ENTRIES, [
      rows.map((row) => row.userId),
      rows.map((row) => row.entityType),
      rows.map((row) => row.entityId),
      rows.map((row) => row.action),
      rows.map((row) => row.source),
      rows.map((row) => row.metadata),
      rows.map((row) => row.requestId),
      rows.map((row) => row.createdAt),
    ]);
  }
}
