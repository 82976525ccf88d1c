import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { NoteEntity } from '@app/core/database/entities';
import type { TranscriptionStatus } from '@app/core/database/enums';

export interface NewNote {
  userId: string;
  content: string;
  voiceUrl: string | null;
  voiceDurationSeconds: number | null;
  transcriptionStatus: TranscriptionStatus | null;
  now: Date;
}

export type NoteChanges = Partial<
  Pick<NoteEntity, 'content' | 'archived' | 'transcriptionStatus' | 'transcriptionText' | 'convertedTaskId'>
>;

/** Queries of `notes` (docs/data-model.md §7); user-owned reads take the user id. */
@Injectable()
export class NotesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The note with this id whoever owns it (the service tells 404 from 403). */
  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<NoteEntity | null> {
    return manager.findOneBy(NoteEntity, { id });
  }

  lockById(manager: EntityManager, id: string): Promise<NoteEntity | null> {
    return manager
      .createQueryBuilder(NoteEntity, 'n')
      .setLock('pessimistic_write')
      .where('n.id = :id', { id })
      .getOne();
  }

  async list(
    userId: string,
    includeArchived: boolean,
    page: { offset: number; limit: number },
  ): Promise<{ notes: NoteEntity[]; total: number }> {
    const query = this.dataSource.manager
      .createQueryBuilder(NoteEntity, 'n')
      .where('n.user_id = :userId', { userId })
      .orderBy('n.created_at', 'DESC')
      .addOrderBy('n.id', 'DESC')
      .offset(page.offset)
      .limit(page.limit);
    if (!includeArchived) query.andWhere('n.archived = false');
    const [notes, total] = await query.getManyAndCount();
    return { notes, total };
  }

  async countActive(manager: EntityManager, userId: string): Promise<number> {
    return manager.countBy(NoteEntity, { userId, archived: false });
  }

  async insert(manager: EntityManager, note: NewNote): Promise<NoteEntity> {
    const entity = manager.create(NoteEntity, {
      userId: note.userId,
      content: note.content,
      archived: false,
      voiceUrl: note.voiceUrl,
      voiceDurationSeconds: note.voiceDurationSeconds,
      transcriptionStatus: note.transcriptionStatus,
      transcriptionText: null,
      convertedTaskId: null,
      createdAt: note.now,
      updatedAt: note.now,
    });
    return manager.save(NoteEntity, entity);
  }

  async update(manager: EntityManager, note: NoteEntity, changes: NoteChanges, now: Date): Promise<NoteEntity> {
    await manager.update(NoteEntity, { id: note.id }, { ...changes, updatedAt: now });
    return Object.assign(note, changes, { updatedAt: now });
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(NoteEntity, { id });
  }
}
