import { Module } from '@nestjs/common';
import { FocusSessionsRepository } from './focus-sessions.repository';
import { FocusService } from './focus.service';

/** Focus sessions; `FocusService.endActiveOnTask` serves task completion and deletion. */
@Module({
  providers: [FocusSessionsRepository, FocusService],
  exports: [FocusService],
})
export class FocusModule {}
