import { Module } from '@nestjs/common';
import { AiController } from './ai.controller';
import { AiModule } from './ai.module';

@Module({
  imports: [AiModule],
  controllers: [AiController],
})
export class AiHttpModule {}
