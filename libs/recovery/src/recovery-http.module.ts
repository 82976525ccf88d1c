import { Module } from '@nestjs/common';
import { RecoveryModule } from './recovery.module';
import { TaskDeletionController } from './task-deletion.controller';
import { TombstonesController } from './tombstones.controller';

@Module({
  imports: [RecoveryModule],
  controllers: [TaskDeletionController, TombstonesController],
})
export class RecoveryHttpModule {}
