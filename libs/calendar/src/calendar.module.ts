import { Module } from '@nestjs/common';
import { CalendarFeedService } from './calendar-feed.service';
import { CalendarFeedsRepository } from './calendar-feeds.repository';

/** The secret iCalendar feed (docs/calendar-feed.md). */
@Module({
  providers: [CalendarFeedsRepository, CalendarFeedService],
  exports: [CalendarFeedService],
})
export class CalendarModule {}
