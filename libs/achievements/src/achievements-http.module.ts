import { Module } from '@nestjs/common';
import { AchievementsController } from './achievements.controller';
import { AchievementsModule } from './achievements.module';

@Module({
  imports: [AchievementsModule],
  controllers: [AchievementsController],
})
export class AchievementsHttpModule {}
