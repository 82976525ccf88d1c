import { Module } from '@nestjs/common';
import { EffectiveLimitsModule } from '@app/limits/effective-limits.module';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';

/** Notes (docs/rules.md §8) for the API, confirm-action and transcription. */
@Module({
  imports: [EffectiveLimitsModule],
  providers: [NotesRepository, NotesService],
  exports: [NotesRepository, NotesService],
})
export class NotesModule {}
