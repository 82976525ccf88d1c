import { Module } from '@nestjs/common';
import { SyncJobs } from './sync.jobs';
import { SyncRepository } from './sync.repository';
import { SyncService } from './sync.service';

/** The changes feed (docs/sync.md); the log itself is written by database triggers; `sync_change_prune` forgets old tombstones. */
@Module({
  providers: [SyncRepository, SyncService, SyncJobs],
  exports: [SyncService],
})
export class SyncModule {}
