import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { FocusSessionEntity, TaskEntity } from '@app/core/database/entities';

@Injectable()
export class FocusSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Serialises one user's focus changes (start, end), so at most one session is ever active. */
  async lockUserSessions(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('focus:' || $1::text, 0))`, [userId]);
  }

  findActive(userId: string, manager: EntityManager = this.dataSource.manager): Promise<FocusSessionEntity | null> {
    return manager.findOne(FocusSessionEntity, { where: { userId, endedAt: IsNull() } });
  }

  findActiveOnTask(manager: EntityManager, userId: string, taskId: string): Promise<FocusSessionEntity | null> {
    return manager.findOne(FocusSessionEntity, { where: { userId, taskId, endedAt: IsNull() } });
  }

  findById(manager: EntityManager, id: string): Promise<FocusSessionEntity | null> {
    return manager.findOne(FocusSessionEntity, { where: { id } });
  }

  /** The task a session is about, locked so completion and a new session cannot interleave. */
  lockTask(manager: EntityManager, taskId: string): Promise<TaskEntity | null> {
    return manager
      .createQueryBuilder(TaskEntity, 'task')
      .setLock('pessimistic_write')
      .where('task.id = :taskId', { taskId })
      .getOne();
  }

  findTask(manager: EntityManager, taskId: string): Promise<TaskEntity | null> {
    return manager.findOne(TaskEntity, { where: { id: taskId } });
  }

  async insert(manager: EntityManager, userId: string, taskId: string, now: Date): Promise<FocusSessionEntity> {
    const session = manager.create(FocusSessionEntity, {
      id: randomUUID(),
      userId,
      taskId,
      startedAt: now,
      endedAt: null,
      durationSeconds: null,
      createdAt: now,
      updatedAt: now,
    });
    await manager.insert(FocusSessionEntity, session);
    return session;
  }

  async end(
    manager: EntityManager,
    session: FocusSessionEntity,
    endedAt: Date,
    durationSeconds: number,
  ): Promise<FocusSessionEntity> {
    const changes = { endedAt, durationSeconds, updatedAt: endedAt };
    await manager.update(FocusSessionEntity, { id: session.id }, changes);
    return manager.merge(FocusSessionEntity, session, changes);
  }

  /** Adds the session's time to its task (no `version` change, docs/api.md §1.7); returns the new total. */
  async creditTask(manager: EntityManager, taskId: string, seconds: number, now: Date): Promise<number> {
    // UPDATE … RETURNING answers [rows, affected count] through EntityManager.query.
    const [rows]: [Array<{ focus_time_seconds: number }>, number] = await manager.query(
      `UPDATE task_instances SET focus_time_seconds = focus_time_seconds + $2, updated_at = $3
       WHERE id = $1 RETURNING focus_time_seconds`,
      [taskId, seconds, now],
    );
    return rows[0]?.focus_time_seconds ?? 0;
  }
}
