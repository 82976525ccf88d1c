import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { generateRefreshToken, hashRefreshToken } from '@app/auth/refresh-token';
import { ValidationError } from '@app/core/errors/domain-error';
import { decodeCursor } from '@app/sync/sync-cursor';
import type { StreamTicketResponseDto } from './dto/stream-ticket-response.dto';
import { TICKET_LIFETIME_MS } from './event-stream-rules';
import { EventStreams } from './event-streams';
import { InvalidStreamTicketError } from './events.errors';
import { EventsRepository } from './events.repository';

/** Stream tickets and opening streams (docs/events.md). */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly streams: EventStreams,
  ) {}

  /** A single-use ticket for one stream: browsers' EventSource cannot send an Authorization header. */
  async issueTicket(userId: string): Promise<StreamTicketResponseDto> {
    const ticket = generateRefreshToken();
    const now = new Date();
    const expiresAt = new Date(now.getTime() + TICKET_LIFETIME_MS);
    await this.events.insertTicket(userId, hashRefreshToken(ticket), now, expiresAt);
    return { ticket, expires_at: expiresAt.toISOString() };
  }

  /** Checks the position first, so a malformed one does not use the ticket up. */
  async open(ticket: string, lastEventId: string | undefined, response: Response): Promise<void> {
    if (lastEventId !== undefined && !decodeCursor(lastEventId)) {
      throw ValidationError.field('Last-Event-ID', 'must be an event id of this stream (a sync cursor)');
    }
    const userId = await this.events.redeemTicket(hashRefreshToken(ticket), new Date());
    if (!userId) throw new InvalidStreamTicketError();
    await this.streams.open(userId, lastEventId, response);
  }
}
