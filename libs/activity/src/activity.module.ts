import { Module } from '@nestjs/common';
import { ActivityJobs } from './activity.jobs';
import { ActivityRecorder } from './activity-recorder';
import { ActivityRepository } from './activity.repository';
import { ActivityService } from './activity.service';

/** Writes activity entries for every event, serves the log and purges it; imported by both apps (no controllers). */
@Module({
  providers: [ActivityRecorder, ActivityRepository, ActivityService, ActivityJobs],
  exports: [ActivityService],
})
export class ActivityModule {}
