import { Module } from '@nestjs/common';
import { ActivityController } from './activity.controller';
import { ActivityModule } from './activity.module';

@Module({
  imports: [ActivityModule],
  controllers: [ActivityController],
})
export class ActivityHttpModule {}
