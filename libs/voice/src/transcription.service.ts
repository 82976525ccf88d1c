import { Injectable } from '@nestjs/common';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import { AiCharges } from '@app/ai/ai-charges.service';
import { AppConfig } from '@app/core/config/app-config';
import type { NoteEntity } from '@app/core/database/entities';
import type { TranscriptionStatus } from '@app/core/database/enums';
import { ArchivedError, TierRequiredError } from '@app/core/errors/domain-error';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import type { AuthUser } from '@app/core/http/auth-user';
import { NoteTranscribed } from '@app/notes/note.events';
import { NotesRepository } from '@app/notes/notes.repository';
import { NotesService } from '@app/notes/notes.service';
import { DeepgramGateway, PrerecordedTranscript } from './deepgram.client';
import type { TranscribeDto, TranscriptionResponseDto } from './dto/transcribe.dto';
import { AiTranscription } from './transcription.events';
import { AudioDurationExceededError } from './voice.errors';
import { transcriptionCredits } from './voice-rules';

const MAX_SECONDS = 300;
/** The provider may report up to 1 s more than declared (docs/api.md §10.4). */
const DURATION_TOLERANCE_SECONDS = 1;

/**
 * `POST /ai/transcribe` (docs/api.md §10.4): pre-recorded transcription of an audio URL, Pro only,
 * 5 credits per started declared minute, nothing charged on any failure. With `note_id` the
 * transcript goes to the note's `transcription_text`; its `content` is never touched.
 */
@Injectable()
export class TranscriptionService {
  constructor(
    private readonly deepgram: DeepgramGateway,
    private readonly charges: AiCharges,
    private readonly limits: EffectiveLimitsService,
    private readonly notesService: NotesService,
    private readonly notes: NotesRepository,
    private readonly uow: UnitOfWork,
    private readonly config: AppConfig,
  ) {}

  async transcribe(user: AuthUser, dto: TranscribeDto): Promise<TranscriptionResponseDto> {
    if (dto.duration_seconds > MAX_SECONDS)
      throw new AudioDurationExceededError(`Audio is limited to ${MAX_SECONDS} seconds`);
    this.deepgram.assertConfigured();
    const limits = await this.limits.forUser(user.id);
    if (!limits.voiceAllowed) throw new TierRequiredError(limits.tier, 'Transcription requires Pro');
    const note = dto.note_id ? await this.notesService.findOwned(user.id, dto.note_id) : null;
    if (note?.archived) throw new ArchivedError('Note');
    const language = dto.language ?? 'en';

    const charge = await this.charges.begin({
      user,
      operation: 'transcription',
      cost: transcriptionCredits(dto.duration_seconds, this.config.AI_CREDIT_TRANSCRIPTION_PER_MIN),
      operationRef: note ? `transcription:${note.id}` : 'transcription',
      description: 'Audio transcription',
    });
    if (note) await this.uow.run((tx) => this.setNote(tx, user.id, note, 'pending', null, false));
    let result: PrerecordedTranscript;
    try {
      result = await this.deepgram.transcribeUrl(dto.audio_url, language);
      if (result.duration !== null && result.duration > dto.duration_seconds + DURATION_TOLERANCE_SECONDS) {
        throw new AudioDurationExceededError('The audio is longer than the declared duration');
      }
    } catch (error) {
      await this.charges.fail(charge);
      if (note) await this.uow.run((tx) => this.setNote(tx, user.id, note, 'failed', null, true));
      throw error;
    }
    const settled = await this.charges.settle(charge, async (tx, { creditsUsed, reservationId }) => {
      if (note) await this.setNote(tx, user.id, note, 'completed', result.transcript, true);
      await tx.emit(
        AiTranscription,
        {
          origin: 'http',
          note_id: note?.id ?? null,
          reservation_id: reservationId,
          duration_seconds: dto.duration_seconds,
          credits_used: creditsUsed,
          outcome: 'completed',
        },
        { userId: user.id, source: 'ai' },
      );
    });
    return {
      transcription: result.transcript,
      language: result.language,
      confidence: result.confidence,
      duration_seconds: dto.duration_seconds,
      credits_used: settled.creditsUsed,
      credits_remaining: settled.creditsRemaining,
    };
  }

  private async setNote(
    tx: Transaction,
    userId: string,
    note: NoteEntity,
    status: TranscriptionStatus,
    text: string | null,
    announce: boolean,
  ): Promise<void> {
    const changes =
      text === null ? { transcriptionStatus: status } : { transcriptionStatus: status, transcriptionText: text };
    await this.notes.update(tx.manager, note, changes, new Date());
    if (announce) await tx.emit(NoteTranscribed, { note_id: note.id, status }, { userId, source: 'ai' });
  }
}
