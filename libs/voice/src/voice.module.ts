import { Module } from '@nestjs/common';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { AiProviderModule } from '@app/ai/ai-provider.module';
import { AuthModule } from '@app/auth/auth.module';
import { RateLimitGuard } from '@app/core/http/rate-limit.guard';
import { NotesModule } from '@app/notes/notes.module';
import { DeepgramGateway } from './deepgram.client';
import { TranscriptionService } from './transcription.service';
import { VoiceRelayService } from './voice-relay.service';
import { VoiceSessionsModule } from './voice-sessions.module';
import { VoiceTiming } from './voice-timing';
import { WsAccessTokenVerifier } from './ws-access-token.verifier';

/** Voice transcription (docs/realtime.md §1, docs/api.md §10.4/§10.7): Deepgram, sessions, the relay. */
@Module({
  imports: [AiProviderModule, EffectiveLimitsModule, NotesModule, AuthModule, VoiceSessionsModule],
  providers: [
    DeepgramGateway,
    TranscriptionService,
    VoiceTiming,
    WsAccessTokenVerifier,
    // The same counting as the HTTP guard (shared throttler storage), for WebSocket connections.
    RateLimitGuard,
    VoiceRelayService,
  ],
  exports: [VoiceSessionsModule, TranscriptionService, VoiceRelayService, VoiceTiming],
})
export class VoiceModule {}
