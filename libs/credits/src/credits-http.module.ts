import { Module } from '@nestjs/common';
import { AiCreditsController } from './ai-credits.controller';
import { CreditsController } from './credits.controller';
import { CreditsModule } from './credits.module';

@Module({
  imports: [CreditsModule],
  controllers: [CreditsController, AiCreditsController],
})
export class CreditsHttpModule {}
