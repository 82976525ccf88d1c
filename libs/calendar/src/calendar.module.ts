import { Module } from '@nestjs/common';
import { RateLimitGuard } from '@app/core/http/rate-limit.guard';
import { CalendarFeedService } from './calendar-feed.service';
import { CalendarFeedsRepository } from './calendar-feeds.repository';

/** The secret iCalendar feed (docs/calendar-feed.md). */
@Module({
  providers: [
    CalendarFeedsRepository,
    CalendarFeedService,
    // The feed is public: it counts its requests itself, in the shared rate-limit storage.
    RateLimitGuard,
  ],
  exports: [CalendarFeedService],
})
export class CalendarModule {}
