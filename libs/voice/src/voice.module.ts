import { Module } from '@nestjs/common';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { AiProviderModule } from '@app/ai/ai-provider.module';
import { NotesModule } from '@app/notes/notes.module';
import { DeepgramGateway } from './deepgram.client';
import { TranscriptionService } from './transcription.service';
import { VoiceSessionsModule } from './voice-sessions.module';
import { VoiceTiming } from './voice-timing';

/** Voice transcription (docs/api.md §10.4/§10.7): Deepgram, uploads, the session records. */
@Module({
  imports: [AiProviderModule, EffectiveLimitsModule, NotesModule, VoiceSessionsModule],
  providers: [DeepgramGateway, TranscriptionService, VoiceTiming],
  exports: [DeepgramGateway, VoiceSessionsModule, TranscriptionService, VoiceTiming],
})
export class VoiceModule {}
