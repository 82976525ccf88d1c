import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { SyncEntityType } from '@app/core/database/entities/sync-change.entity';
import { ValidationError } from '@app/core/errors/domain-error';
import { toNoteResponse } from '@app/notes/dto/note-response.dto';
import { toTaskResponse } from '@app/tasks/dto/task-response.dto';
import { toReminderResponse } from '@app/tasks/dto/reminder-response.dto';
import { toSubtaskResponse } from '@app/tasks/subtasks/dto/subtask-response.dto';
import { toTemplateResponse } from '@app/tasks/templates/dto/template-response.dto';
import type { SyncQueryDto } from './dto/sync-query.dto';
import type { SyncChangeDto, SyncEntityData, SyncPageDto } from './dto/sync-page.dto';
import { decodeCursor, encodeCursor, isCursorExpired, START, SyncPosition } from './sync-cursor';
import { CursorExpiredError } from './sync.errors';
import { SyncChangeRow, SyncRepository } from './sync.repository';

type EntityData = Map<string, SyncEntityData>;

/** The changes feed of docs/sync.md. */
@Injectable()
export class SyncService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SyncRepository,
  ) {}

  /**
   * One page of the user's changes after the cursor. The log and the entities are read in one
   * REPEATABLE READ snapshot, so each returned change carries data at least as new as itself;
   * a later change of the same entity moves its log row past the returned cursor.
   */
  async changes(userId: string, query: SyncQueryDto, now: Date = new Date()): Promise<SyncPageDto> {
    const after = query.since === undefined ? START : this.positionOf(query.since, now);
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const rows = await this.repository.changesAfter(manager, userId, after, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const data = await this.load(manager, userId, page);
      return {
        changes: page.map((row) => toChange(row, data.get(key(row.entityType, row.entityId)) ?? null)),
        next_cursor: encodeCursor(page.at(-1) ?? after, now),
        has_more: rows.length > query.limit,
      };
    });
  }

  private positionOf(since: string, now: Date): SyncPosition {
    const cursor = decodeCursor(since);
    if (!cursor) throw ValidationError.field('since', 'must be a cursor returned by this endpoint');
    if (isCursorExpired(cursor.issuedAt, now)) throw new CursorExpiredError();
    return cursor;
  }

  /** The current representations of the page's non-deleted entities, one query per type. */
  private async load(manager: EntityManager, userId: string, rows: SyncChangeRow[]): Promise<EntityData> {
    const ids = (type: SyncEntityType): string[] =>
      rows.filter((row) => row.entityType === type && !row.deleted).map((row) => row.entityId);
    const tasks = await this.repository.tasks(manager, userId, ids('task'));
    const subtasks = await this.repository.subtasks(manager, userId, ids('subtask'));
    const reminders = await this.repository.reminders(manager, userId, ids('reminder'));
    const notes = await this.repository.notes(manager, userId, ids('note'));
    const templates = await this.repository.templates(manager, userId, ids('template'));
    return new Map<string, SyncEntityData>([
      ...tasks.map((view) => [key('task', view.task.id), toTaskResponse(view)] as const),
      ...subtasks.map((subtask) => [key('subtask', subtask.id), toSubtaskResponse(subtask)] as const),
      ...reminders.map((reminder) => [key('reminder', reminder.id), toReminderResponse(reminder)] as const),
      ...notes.map((note) => [key('note', note.id), toNoteResponse(note)] as const),
      ...templates.map((template) => [key('template', template.id), toTemplateResponse(template)] as const),
    ]);
  }
}

function key(type: SyncEntityType, id: string): string {
  return `${type}:${id}`;
}

/** A change whose entity is gone (or not readable as the user's) is reported as a deletion. */
function toChange(row: SyncChangeRow, data: SyncEntityData | null): SyncChangeDto {
  return {
    type: row.entityType,
    id: row.entityId,
    deleted: data === null,
    changed_at: row.changedAt.toISOString(),
    data,
  };
}
