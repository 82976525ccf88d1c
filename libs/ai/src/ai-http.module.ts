import { Module } from '@nestjs/common';
import { AiController } from './ai.controller';
import { AiModule } from './ai.module';
import { NoteConversionController } from './note-conversion.controller';

@Module({
  imports: [AiModule],
  // Notes' AI route first: it keeps its place after the notes routes in the OpenAPI document.
  controllers: [NoteConversionController, AiController],
})
export class AiHttpModule {}
