import { Module } from '@nestjs/common';
import { CalendarFeedController } from './calendar-feed.controller';
import { CalendarModule } from './calendar.module';

@Module({
  imports: [CalendarModule],
  controllers: [CalendarFeedController],
})
export class CalendarHttpModule {}
