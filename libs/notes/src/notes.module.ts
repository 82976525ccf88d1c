import { Module } from '@nestjs/common';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { AiProviderModule } from '@app/ai/ai-provider.module';
import { NoteConversionService } from './note-conversion.service';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';

/** Notes (docs/rules.md §8) for the API, confirm-action and transcription. */
@Module({
  imports: [EffectiveLimitsModule, AiProviderModule],
  providers: [NotesRepository, NotesService, NoteConversionService],
  exports: [NotesRepository, NotesService, NoteConversionService],
})
export class NotesModule {}
