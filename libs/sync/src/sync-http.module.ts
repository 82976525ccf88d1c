import { Module } from '@nestjs/common';
import { SyncController } from './sync.controller';
import { SyncModule } from './sync.module';

@Module({
  imports: [SyncModule],
  controllers: [SyncController],
})
export class SyncHttpModule {}
