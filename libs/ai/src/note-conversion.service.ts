import { Injectable } from '@nestjs/common';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import { AppConfig } from '@app/core/config/app-config';
import { ArchivedError } from '@app/core/errors/domain-error';
import type { AuthUser } from '@app/core/http/auth-user';
import { NotesService } from '@app/notes/notes.service';
import { AiServiceUnavailableError } from './ai.errors';
import { AiNoteConversion } from './ai.events';
import { AiCharges } from './ai-charges.service';
import { parseConversion } from './ai-output-rules';
import { conversionMessages } from './ai-prompts';
import { AiProviderClient } from './ai-provider.client';
import type { NoteConversionResponseDto } from './dto/note-conversion-response.dto';

/**
 * `POST /notes/{id}/convert` (docs/api.md §8, docs/integrations.md §2.4): asks the AI for a task suggestion
 * (1 credit). Creates nothing and leaves the note as it is; `confirm-action convert_note` applies it.
 */
@Injectable()
export class NoteConversionService {
  constructor(
    private readonly notes: NotesService,
    private readonly provider: AiProviderClient,
    private readonly charges: AiCharges,
    private readonly limits: EffectiveLimitsService,
    private readonly config: AppConfig,
  ) {}

  async suggest(user: AuthUser, noteId: string): Promise<NoteConversionResponseDto> {
    this.provider.assertConfigured();
    const note = await this.notes.findOwned(user.id, noteId);
    if (note.archived) throw new ArchivedError('Note');
    const limits = await this.limits.forUser(user.id);
    const now = new Date();
    const settled = await this.charges.run(
      {
        user,
        operation: 'note_conversion',
        cost: this.config.AI_CREDIT_CONVERSION,
        operationRef: `note_conversion:${note.id}`,
        description: 'AI note-to-task conversion',
      },
      async () => {
        const content = await this.provider.complete(
          conversionMessages(note.content, now, limits.maxAiSubtaskSuggestions),
          { json: true },
        );
        const suggestion = parseConversion(content, {
          now,
          subtaskLimit: limits.maxAiSubtaskSuggestions,
          descriptionLimit: limits.maxDescriptionLength,
        });
        if (!suggestion)
          throw new AiServiceUnavailableError('The AI service returned no usable task; nothing was charged');
        return suggestion;
      },
      async (tx, suggestion, { creditsUsed }) => {
        await tx.emit(
          AiNoteConversion,
          { note_id: note.id, credits_used: creditsUsed },
          { userId: user.id, source: 'ai' },
        );
        return suggestion;
      },
    );
    return { ...settled.result, credits_used: settled.creditsUsed, credits_remaining: settled.creditsRemaining };
  }
}
