import { Module } from '@nestjs/common';
import { ActivityRecorder } from './activity-recorder';

/** Writes activity entries for every event; imported by both apps (no controllers). */
@Module({
  providers: [ActivityRecorder],
})
export class ActivityModule {}
