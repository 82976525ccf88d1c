import type { Logger } from '@nestjs/common';
import type { Response } from 'express';
import type { NotificationResponseDto } from '@app/notifications/dto/notification-response.dto';
import type { SyncPageDto } from '@app/sync/dto/sync-page.dto';
import { NOTIFIED_RETRY_DELAYS_MS, RECONNECT_MS, sseEvent } from './event-stream-rules';

/** Where a stream reads what it sends: the changes feed and the notifications. */
export interface StreamSources {
  changes(userId: string, since: string | undefined): Promise<SyncPageDto>;
  notification(userId: string, id: string): Promise<NotificationResponseDto | null>;
}

/**
 * One open `text/event-stream` response (docs/events.md §2). Its position is the id of the last
 * `changes` event sent, a sync cursor; every catch-up reads the changes feed after it, so each
 * change is sent once and in order, however the notifications that trigger reads arrive.
 */
export class EventStream {
  private running = false;
  private queued = false;
  private closed = false;
  private retries = 0;
  private retryTimer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    readonly userId: string,
    private cursor: string | undefined,
    private readonly response: Response,
    private readonly sources: StreamSources,
    private readonly logger: Logger,
    private readonly onClose: (stream: EventStream) => void,
  ) {}

  /** Sends the headers and the first page (read before, so its errors were still an HTTP error). */
  start(first: SyncPageDto, heartbeatMs: number): void {
    this.response.on('close', () => this.close());
    // The client may have left while the first page was read: its 'close' has passed already.
    if (!this.response.socket || this.response.socket.destroyed) return this.close();
    this.response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      // Never reused: ending the stream (at shutdown) closes the connection instead of idling it.
      Connection: 'close',
    });
    this.response.flushHeaders();
    this.write(`retry: ${RECONNECT_MS}\n\n`);
    this.send(first);
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), heartbeatMs);
    if (first.has_more) this.changed();
  }

  /** The user's data changed (or may have): send what the feed has after the position. */
  changed(): void {
    this.retries = 0;
    void this.catchUp();
  }

  async notify(id: string): Promise<void> {
    const notification = await this.sources.notification(this.userId, id);
    if (notification) this.write(sseEvent('notification', notification));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.retryTimer);
    this.onClose(this);
    if (!this.response.writableEnded) this.response.end();
  }

  /** A change can trail its notification (docs/sync.md: readable once older transactions end): re-read a few times. */
  private async catchUp(): Promise<void> {
    const sent = await this.pump();
    if (sent || this.closed || this.retryTimer || this.retries >= NOTIFIED_RETRY_DELAYS_MS.length) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retries++;
      void this.catchUp();
    }, NOTIFIED_RETRY_DELAYS_MS[this.retries]);
  }

  /** One reader at a time; a notification during a read makes it read again rather than start another. */
  private async pump(): Promise<boolean> {
    if (this.running) {
      this.queued = true;
      return true;
    }
    this.running = true;
    let sent = false;
    try {
      do {
        this.queued = false;
        sent = (await this.drain()) || sent;
      } while (this.queued && !this.closed);
    } catch (error) {
      this.logger.warn({ err: error }, 'event stream read failed; the next change retries');
    } finally {
      this.running = false;
    }
    return sent;
  }

  private async drain(): Promise<boolean> {
    let sent = false;
    while (!this.closed) {
      const page = await this.sources.changes(this.userId, this.cursor);
      sent = this.send(page) || sent;
      if (!page.has_more) break;
    }
    return sent;
  }

  private send(page: SyncPageDto): boolean {
    if (page.changes.length === 0) return false;
    this.cursor = page.next_cursor;
    this.write(sseEvent('changes', { changes: page.changes }, page.next_cursor));
    return true;
  }

  private write(text: string): void {
    if (!this.closed && !this.response.writableEnded) this.response.write(text);
  }
}
