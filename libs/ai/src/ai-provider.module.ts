import { Module } from '@nestjs/common';
import { CreditsModule } from '@app/credits/credits.module';
import { AiCharges } from './ai-charges.service';
import { AiProviderClient } from './ai-provider.client';
import { AiTaskCounter } from './ai-task-counter';

/** The provider client and the charging envelope, shared by the AI features and note conversion. */
@Module({
  imports: [CreditsModule],
  providers: [AiProviderClient, AiTaskCounter, AiCharges],
  exports: [AiProviderClient, AiTaskCounter, AiCharges, CreditsModule],
})
export class AiProviderModule {}
