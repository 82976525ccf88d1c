import { Module } from '@nestjs/common';
import { FocusController } from './focus.controller';
import { FocusModule } from './focus.module';

@Module({
  imports: [FocusModule],
  controllers: [FocusController],
})
export class FocusHttpModule {}
