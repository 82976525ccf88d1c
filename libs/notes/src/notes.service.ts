import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EffectiveLimitsService } from '@app/limits/effective-limits.service';
import { assertWithinLimit } from '@app/limits/limit-check';
import type { NoteEntity } from '@app/core/database/entities';
import { ArchivedError, TierRequiredError, ValidationError } from '@app/core/errors/domain-error';
import { owned } from '@app/core/errors/owned';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import type { ListEnvelope } from '@app/core/http/envelope';
import { paginated } from '@app/core/http/envelope';
import type { CreateNoteDto } from './dto/create-note.dto';
import { NoteResponseDto, toNoteResponse } from './dto/note-response.dto';
import type { NotesQueryDto } from './dto/notes-query.dto';
import type { UpdateNoteDto } from './dto/update-note.dto';
import { NoteArchived, NoteCreated, NoteDeleted, NoteUnarchived, NoteUpdated } from './note.events';
import { NoteChanges, NotesRepository } from './notes.repository';

/** Notes (docs/api.md §8, docs/rules.md §8): CRUD with the note limit, the Pro-only voice notes and archiving. */
@Injectable()
export class NotesService {
  constructor(
    private readonly notes: NotesRepository,
    private readonly limits: EffectiveLimitsService,
    private readonly uow: UnitOfWork,
  ) {}

  async list(userId: string, query: NotesQueryDto): Promise<ListEnvelope<NoteResponseDto>> {
    const { notes, total } = await this.notes.list(userId, query.archived, query);
    return paginated(notes.map(toNoteResponse), query, total);
  }

  async get(userId: string, noteId: string): Promise<NoteResponseDto> {
    return toNoteResponse(await this.findOwned(userId, noteId));
  }

  /**
   * The caller's note: 404 when no note has this id, 403 when another user's. Pass a transaction
   * manager and `lock` to hold the note's row lock for the rest of the transaction.
   */
  async findOwned(userId: string, noteId: string, manager?: EntityManager, lock = false): Promise<NoteEntity> {
    const note =
      manager && lock ? await this.notes.lockById(manager, noteId) : await this.notes.findById(noteId, manager);
    return owned(note, userId, 'Note');
  }

  create(userId: string, dto: CreateNoteDto): Promise<NoteResponseDto> {
    const voiceUrl = dto.voice_url ?? null;
    const duration = dto.voice_duration_seconds ?? null;
    if (voiceUrl !== null && duration === null) {
      throw ValidationError.field('voice_duration_seconds', 'is required when voice_url is given');
    }
    if (voiceUrl === null && duration !== null) {
      throw ValidationError.field('voice_duration_seconds', 'is allowed only together with voice_url');
    }
    return this.uow.run(async (tx) => {
      const limits = await this.limits.forUser(userId, tx.manager, true);
      if (voiceUrl !== null && !limits.voiceAllowed)
        throw new TierRequiredError(limits.tier, 'Voice notes require Pro');
      const current = await this.notes.countActive(tx.manager, userId);
      assertWithinLimit(current, 1, limits.maxActiveNotes, `Note limit of ${limits.maxActiveNotes} reached`);
      const note = await this.notes.insert(tx.manager, {
        userId,
        content: dto.content,
        voiceUrl,
        voiceDurationSeconds: duration,
        // A voice note's content is the client's own transcript (docs/api.md §8).
        transcriptionStatus: voiceUrl !== null ? 'completed' : null,
        now: new Date(),
      });
      await tx.emit(NoteCreated, { note_id: note.id }, { userId, source: 'user' });
      return toNoteResponse(note);
    });
  }

  /**
   * PATCH semantics (docs/api.md §8): an archived note accepts only `archived: false` (with other fields
   * in the same body) or a lone no-op `archived: true`; the order is un-archive → fields → archive.
   */
  update(userId: string, noteId: string, dto: UpdateNoteDto): Promise<NoteResponseDto> {
    return this.uow.run(async (tx) => {
      const note = await this.findOwned(userId, noteId, tx.manager, true);
      if (note.archived && dto.archived !== false) {
        if (dto.archived === true && dto.content === undefined) return toNoteResponse(note);
        throw new ArchivedError('Note');
      }
      const now = new Date();
      let current = note;
      if (note.archived && dto.archived === false) {
        current = await this.apply(tx, current, { archived: false }, now);
        await tx.emit(NoteUnarchived, { note_id: note.id }, { userId, source: 'user' });
      }
      if (dto.content !== undefined && dto.content !== current.content) {
        current = await this.apply(tx, current, { content: dto.content }, now);
        await tx.emit(NoteUpdated, { note_id: note.id, changed_fields: ['content'] }, { userId, source: 'user' });
      }
      if (dto.archived === true && !current.archived) {
        current = await this.apply(tx, current, { archived: true }, now);
        await tx.emit(NoteArchived, { note_id: note.id }, { userId, source: 'user' });
      }
      return toNoteResponse(current);
    });
  }

  delete(userId: string, noteId: string): Promise<{ id: string; deleted: true }> {
    return this.uow.run(async (tx) => {
      const note = await this.findOwned(userId, noteId, tx.manager, true);
      await this.notes.delete(tx.manager, note.id);
      await tx.emit(NoteDeleted, { note_id: note.id }, { userId, source: 'user' });
      return { id: note.id, deleted: true as const };
    });
  }

  private apply(tx: Transaction, note: NoteEntity, changes: NoteChanges, now: Date): Promise<NoteEntity> {
    return this.notes.update(tx.manager, note, changes, now);
  }
}
