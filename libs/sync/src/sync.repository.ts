import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { NoteEntity, ReminderEntity, SubtaskEntity, TaskEntity, TaskTemplateEntity } from '@app/core/database/entities';
import type { SyncEntityType } from '@app/core/database/entities/sync-change.entity';
import type { TaskView } from '@app/tasks/dto/task-response.dto';
import type { SyncPosition } from './sync-cursor';

export interface SyncChangeRow {
  entityType: SyncEntityType;
  entityId: string;
  txid: bigint;
  seq: bigint;
  deleted: boolean;
  changedAt: Date;
}

interface RawChangeRow {
  entity_type: SyncEntityType;
  entity_id: string;
  txid: string;
  seq: string;
  deleted: boolean;
  changed_at: Date;
}

/** Reads of the changes log (written only by database triggers) and the entities it names. */
@Injectable()
export class SyncRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The user's changes after `after`, in position order, limited to transactions older than the
   * snapshot's xmin: every such transaction has finished, so no row can still appear below the
   * returned positions. Must run in the same snapshot as the entity reads that follow.
   */
  async changesAfter(
    manager: EntityManager,
    userId: string,
    after: SyncPosition,
    limit: number,
  ): Promise<SyncChangeRow[]> {
    const rows: RawChangeRow[] = await manager.query(
      `SELECT entity_type, entity_id, txid::text AS txid, seq::text AS seq, deleted, changed_at
       FROM sync_changes
       WHERE user_id = $1 AND (txid, seq) > ($2::bigint, $3::bigint)
         AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
       ORDER BY txid, seq
       LIMIT $4`,
      [userId, after.txid.toString(), after.seq.toString(), limit],
    );
    return rows.map((row) => ({
      entityType: row.entity_type,
      entityId: row.entity_id,
      txid: BigInt(row.txid),
      seq: BigInt(row.seq),
      deleted: row.deleted,
      changedAt: row.changed_at,
    }));
  }

  /** The user's tasks among `ids`, with their subtask counts. */
  async tasks(manager: EntityManager, userId: string, ids: string[]): Promise<TaskView[]> {
    if (ids.length === 0) return [];
    const tasks = await manager.find(TaskEntity, { where: { id: In(ids), userId } });
    const counts: Array<{ task_id: string; total: number; completed: number }> = await manager.query(
      `SELECT task_id, count(*)::int AS total, count(*) FILTER (WHERE completed)::int AS completed
       FROM subtasks WHERE task_id = ANY($1::uuid[]) GROUP BY task_id`,
      [tasks.map((task) => task.id)],
    );
    const byTask = new Map(counts.map((row) => [row.task_id, row]));
    return tasks.map((task) => ({
      task,
      subtaskCount: byTask.get(task.id)?.total ?? 0,
      subtaskCompletedCount: byTask.get(task.id)?.completed ?? 0,
    }));
  }

  async subtasks(manager: EntityManager, userId: string, ids: string[]): Promise<SubtaskEntity[]> {
    if (ids.length === 0) return [];
    return manager
      .createQueryBuilder(SubtaskEntity, 's')
      .innerJoin(TaskEntity, 't', 't.id = s.task_id')
      .where('s.id IN (:...ids)', { ids })
      .andWhere('t.user_id = :userId', { userId })
      .getMany();
  }

  async reminders(manager: EntityManager, userId: string, ids: string[]): Promise<ReminderEntity[]> {
    return ids.length === 0 ? [] : manager.find(ReminderEntity, { where: { id: In(ids), userId } });
  }

  async notes(manager: EntityManager, userId: string, ids: string[]): Promise<NoteEntity[]> {
    return ids.length === 0 ? [] : manager.find(NoteEntity, { where: { id: In(ids), userId } });
  }

  async templates(manager: EntityManager, userId: string, ids: string[]): Promise<TaskTemplateEntity[]> {
    return ids.length === 0 ? [] : manager.find(TaskTemplateEntity, { where: { id: In(ids), userId } });
  }

  /** Forgets tombstones that changed before `cutoff` (the `sync_change_prune` job). */
  async pruneTombstones(cutoff: Date): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM sync_changes WHERE deleted AND changed_at < $1`,
      [cutoff],
    );
    return count;
  }
}
