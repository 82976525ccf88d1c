import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Response } from 'express';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/core/config/app-config';
import { toNotificationResponse } from '@app/notifications/dto/notification-response.dto';
import { SyncService } from '@app/sync/sync.service';
import { CHANGES_PER_EVENT, MAX_STREAMS_PER_USER, parseUserEvent } from './event-stream-rules';
import { EventStream, StreamSources } from './event-stream';
import { StreamLimitError } from './events.errors';
import { EventsRepository } from './events.repository';

const CHANNEL = 'user_events';
const RECONNECT_LISTENER_MS = 5000;

/**
 * The event streams open on this instance, woken by the `user_events` notifications every write
 * sends at commit (migration 1768560000001), whichever instance made it (docs/events.md §3).
 */
@Injectable()
export class EventStreams implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventStreams.name);
  private readonly byUser = new Map<string, Set<EventStream>>();
  private readonly sources: StreamSources;
  private listener?: Client;
  private reconnect?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    sync: SyncService,
    events: EventsRepository,
  ) {
    this.sources = {
      changes: (userId, since) => sync.changes(userId, { since, limit: CHANGES_PER_EVENT }),
      notification: async (userId, id) => {
        const entity = await events.notification(userId, id);
        return entity ? toNotificationResponse(entity) : null;
      },
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
  }

  /** Ends every stream (clients reconnect elsewhere), so shutdown does not wait for them. */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.closeAll();
    await this.listener?.end().catch(() => undefined);
  }

  closeAll(): void {
    for (const streams of this.byUser.values()) for (const stream of [...streams]) stream.close();
  }

  /** Opens a stream at `cursor` (a sync cursor; none: from the start, as `GET /sync` without `since`). */
  async open(userId: string, cursor: string | undefined, response: Response): Promise<void> {
    this.assertCapacity(userId);
    const first = await this.sources.changes(userId, cursor);
    this.assertCapacity(userId);
    const stream = new EventStream(userId, cursor, response, this.sources, this.logger, (closed) =>
      this.forget(closed),
    );
    const streams = this.byUser.get(userId) ?? new Set<EventStream>();
    streams.add(stream);
    this.byUser.set(userId, streams);
    stream.start(first, this.config.EVENT_STREAM_HEARTBEAT_SECONDS * 1000);
  }

  private assertCapacity(userId: string): void {
    if ((this.byUser.get(userId)?.size ?? 0) >= MAX_STREAMS_PER_USER) throw new StreamLimitError();
  }

  private forget(stream: EventStream): void {
    const streams = this.byUser.get(stream.userId);
    streams?.delete(stream);
    if (streams?.size === 0) this.byUser.delete(stream.userId);
  }

  private dispatch(payload: string): void {
    const event = parseUserEvent(payload);
    if (!event) return;
    for (const stream of this.byUser.get(event.userId) ?? []) {
      if (event.kind === 'changes') stream.changed();
      else
        void stream.notify(event.id).catch((error: unknown) => this.logger.warn({ err: error }, 'notification lost'));
    }
  }

  /** LISTEN on a connection of its own; after losing it, reconnect and let every stream catch up. */
  private async listen(): Promise<void> {
    const url = (this.dataSource.options as { url?: string }).url;
    const client = new Client({ connectionString: url, application_name: 'perpetua-event-streams' });
    client.on('notification', (message) => this.dispatch(message.payload ?? ''));
    client.on('error', (error: Error) => {
      this.logger.warn({ err: error }, 'event notifications lost; reconnecting');
      if (this.listener === client) this.listener = undefined;
      void client.end().catch(() => undefined);
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.listener = client;
      for (const streams of this.byUser.values()) for (const stream of streams) stream.changed();
    } catch (error) {
      this.logger.warn({ err: error }, 'could not listen for user events; retrying');
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnect) return;
    this.reconnect = setTimeout(() => {
      this.reconnect = undefined;
      void this.listen();
    }, RECONNECT_LISTENER_MS);
    this.reconnect.unref();
  }
}
