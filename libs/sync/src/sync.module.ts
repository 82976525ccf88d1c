import { Module } from '@nestjs/common';
import { SyncRepository } from './sync.repository';
import { SyncService } from './sync.service';

/** The changes feed (docs/sync.md); the log itself is written by database triggers. */
@Module({
  providers: [SyncRepository, SyncService],
  exports: [SyncService],
})
export class SyncModule {}
