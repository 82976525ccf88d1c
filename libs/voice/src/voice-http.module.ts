import { Module } from '@nestjs/common';
import { AuthModule } from '@app/auth/auth.module';
import { CreditsModule } from '@app/credits/credits.module';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { VoiceChecks } from './voice-checks';
import { VoiceRelayService } from './voice-relay.service';
import { VoiceSettlement } from './voice-settlement';
import { VoiceController } from './voice.controller';
import { VoiceGateway } from './voice.gateway';
import { VoiceModule } from './voice.module';

/** The voice endpoints and the live-transcription WebSocket (docs/realtime.md §1), API only. */
@Module({
  imports: [VoiceModule, AuthModule, CreditsModule, EffectiveLimitsModule],
  controllers: [VoiceController],
  providers: [VoiceGateway, VoiceRelayService, VoiceChecks, VoiceSettlement],
})
export class VoiceHttpModule {}
