import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WebhookEventOutcome } from '@app/core/database/enums';

/** The processed-event records of docs/data-model.md §16 (deduplication by provider event id). */
@Injectable()
export class WebhookEventsRepository {
  /**
   * Claims an event id inside the processing transaction. A concurrent delivery of the same id
   * waits on the unique key and then finds it taken; false means it was already recorded.
   */
  async claim(
    manager: EntityManager,
    eventId: string,
    eventType: string,
    payload: object,
    receivedAt: Date,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO webhook_events (event_id, event_type, received_at, processed_at, outcome, payload)
       VALUES ($1, $2, $3, $3, 'processed', $4)
       ON CONFLICT (event_id) DO NOTHING
       RETURNING event_id`,
      [eventId, eventType.slice(0, 100), receivedAt, JSON.stringify(payload)],
    );
    return rows.length > 0;
  }

  async finish(
    manager: EntityManager,
    eventId: string,
    outcome: { status: WebhookEventOutcome; reason: string | null; userId: string | null },
    processedAt: Date,
  ): Promise<void> {
    await manager.query(
      `UPDATE webhook_events SET outcome = $2, reason = $3, user_id = $4, processed_at = $5 WHERE event_id = $1`,
      [eventId, outcome.status, outcome.reason, outcome.userId, processedAt],
    );
  }
}
