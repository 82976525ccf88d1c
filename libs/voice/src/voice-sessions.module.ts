import { Module } from '@nestjs/common';
import { VoiceSessionRetention } from './voice-session-retention';
import { VoiceSessionRetentionRepository } from './voice-session-retention.repository';
import { VoiceSessionsRepository } from './voice-sessions.repository';
import { VoiceSessionsService } from './voice-sessions.service';

/** Voice session records and their retention: what the worker needs of voice (no relay, no Deepgram). */
@Module({
  providers: [VoiceSessionsRepository, VoiceSessionsService, VoiceSessionRetentionRepository, VoiceSessionRetention],
  exports: [VoiceSessionsRepository, VoiceSessionsService],
})
export class VoiceSessionsModule {}
