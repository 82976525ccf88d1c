import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventsModule } from './events.module';

@Module({
  imports: [EventsModule],
  controllers: [EventsController],
  // main.ts ends the streams before draining the HTTP server.
  exports: [EventsModule],
})
export class EventsHttpModule {}
