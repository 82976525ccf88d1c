import { Injectable } from '@nestjs/common';
import type { FocusSessionEntity } from '@app/core/database/entities';
import type { ActivitySource } from '@app/core/database/enums';
import { ArchivedError, ConflictError, NotFoundError } from '@app/core/errors/domain-error';
import { owned } from '@app/core/errors/owned';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import type { EndFocusDto } from './dto/end-focus.dto';
import { FocusEndResponseDto } from './dto/focus-end-response.dto';
import { FocusSessionResponseDto, toFocusSessionResponse } from './dto/focus-session-response.dto';
import { FocusEnded, FocusStarted } from './focus.events';
import { focusDurationSeconds } from './focus-rules';
import { FocusSessionsRepository } from './focus-sessions.repository';

export interface FocusStartResult {
  session: FocusSessionResponseDto;
  /** False when the active session on the same task is returned (200 instead of 201). */
  created: boolean;
}

export interface EndedFocusSession {
  session: FocusSessionEntity;
  focusTimeSeconds: number;
}

/** Focus mode (docs/rules.md §3.4): one active session per user, server-measured time credited to the task. */
@Injectable()
export class FocusService {
  constructor(
    private readonly sessions: FocusSessionsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async getActive(userId: string): Promise<FocusSessionResponseDto | null> {
    const session = await this.sessions.findActive(userId);
    return session ? toFocusSessionResponse(session) : null;
  }

  start(userId: string, taskId: string): Promise<FocusStartResult> {
    return this.uow.run(async (tx) => {
      await this.sessions.lockUserSessions(tx.manager, userId);
      const task = owned(await this.sessions.lockTask(tx.manager, taskId), userId, 'Task');
      if (task.archived) throw new ArchivedError('Task');
      if (task.completed) throw new ConflictError('Focus cannot start on a completed task');
      const now = new Date();
      const active = await this.sessions.findActive(userId, tx.manager);
      if (active?.taskId === taskId) return { session: toFocusSessionResponse(active), created: false };
      if (active) await this.endSession(tx, active, now, 'user');
      const session = await this.sessions.insert(tx.manager, userId, taskId, now);
      await tx.emit(
        FocusStarted,
        { session_id: session.id, task_id: taskId, duration_seconds: null },
        { userId, source: 'user', occurredAt: now },
      );
      return { session: toFocusSessionResponse(session), created: true };
    });
  }

  /** Ends the active session named by task or session id, whatever the task's state (docs/api.md §13). */
  end(userId: string, dto: EndFocusDto): Promise<FocusEndResponseDto> {
    return this.uow.run(async (tx) => {
      await this.sessions.lockUserSessions(tx.manager, userId);
      const session = dto.session_id
        ? await this.activeSessionById(tx, userId, dto.session_id)
        : await this.activeSessionOnTask(tx, userId, dto.task_id as string);
      const ended = await this.endSession(tx, session, new Date(), 'user');
      if (!ended) throw new NotFoundError('Active focus session');
      return { ...toFocusSessionResponse(ended.session), focus_time_seconds: ended.focusTimeSeconds };
    });
  }

  /**
   * Ends the user's active session on `taskId`, if any, and credits its time (completion step 2
   * and task deletion, docs/rules.md §3.2, §9). Call with the task row already locked.
   */
  async endActiveOnTask(
    tx: Transaction,
    userId: string,
    taskId: string,
    now: Date,
    source: ActivitySource,
  ): Promise<EndedFocusSession | null> {
    const session = await this.sessions.findActiveOnTask(tx.manager, userId, taskId);
    return session ? this.endSession(tx, session, now, source) : null;
  }

  private async activeSessionById(tx: Transaction, userId: string, sessionId: string): Promise<FocusSessionEntity> {
    const session = owned(await this.sessions.findById(tx.manager, sessionId), userId, 'Focus session');
    if (session.endedAt) throw new NotFoundError('Active focus session');
    return session;
  }

  private async activeSessionOnTask(tx: Transaction, userId: string, taskId: string): Promise<FocusSessionEntity> {
    owned(await this.sessions.findTask(tx.manager, taskId), userId, 'Task');
    const session = await this.sessions.findActiveOnTask(tx.manager, userId, taskId);
    if (!session) throw new NotFoundError('Active focus session');
    return session;
  }

  /**
   * Locks the session's task before touching the session (the order completion and deletion use,
   * so they never deadlock with a new start), then ends it unless it ended meanwhile.
   */
  private async endSession(
    tx: Transaction,
    found: FocusSessionEntity,
    now: Date,
    source: ActivitySource,
  ): Promise<EndedFocusSession | null> {
    await this.sessions.lockTask(tx.manager, found.taskId);
    const session = await this.sessions.findById(tx.manager, found.id);
    if (!session || session.endedAt) return null;
    const duration = focusDurationSeconds(session.startedAt, now);
    const ended = await this.sessions.end(tx.manager, session, now, duration);
    const focusTimeSeconds = await this.sessions.creditTask(tx.manager, session.taskId, duration, now);
    await tx.emit(
      FocusEnded,
      { session_id: session.id, task_id: session.taskId, duration_seconds: duration },
      { userId: session.userId, source, occurredAt: now },
    );
    return { session: ended, focusTimeSeconds };
  }
}
