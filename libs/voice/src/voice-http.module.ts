import { Module } from '@nestjs/common';
import { VoiceController } from './voice.controller';
import { VoiceGateway } from './voice.gateway';
import { VoiceModule } from './voice.module';

@Module({
  imports: [VoiceModule],
  controllers: [VoiceController],
  providers: [VoiceGateway],
})
export class VoiceHttpModule {}
