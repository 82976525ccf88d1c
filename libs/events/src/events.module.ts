import { Module } from '@nestjs/common';
import { SyncModule } from '@app/sync/sync.module';
import { EventStreams } from './event-streams';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';

/** The live event stream (docs/events.md); API only: it holds the streams and their LISTEN connection. */
@Module({
  imports: [SyncModule],
  providers: [EventsRepository, EventStreams, EventsService],
  exports: [EventsService, EventStreams],
})
export class EventsModule {}
