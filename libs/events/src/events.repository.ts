import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationEntity } from '@app/core/database/entities';

@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a ticket, forgetting the user's expired ones. */
  async insertTicket(userId: string, ticketHash: string, now: Date, expiresAt: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM event_stream_tickets WHERE user_id = $1 AND expires_at <= $2`, [
      userId,
      now,
    ]);
    await this.dataSource.query(
      `INSERT INTO event_stream_tickets (user_id, ticket_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
      [userId, ticketHash, now, expiresAt],
    );
  }

  /** Uses a ticket up (one statement: two requests cannot both redeem it); its user, or null. */
  async redeemTicket(ticketHash: string, now: Date): Promise<string | null> {
    const rows: Array<{ user_id: string }> = await this.dataSource.query(
      `WITH used AS (DELETE FROM event_stream_tickets WHERE ticket_hash = $1 RETURNING user_id, expires_at)
       SELECT user_id FROM used WHERE expires_at > $2`,
      [ticketHash, now],
    );
    return rows[0]?.user_id ?? null;
  }

  notification(userId: string, id: string): Promise<NotificationEntity | null> {
    return this.dataSource.manager.findOne(NotificationEntity, { where: { id, userId } });
  }
}
