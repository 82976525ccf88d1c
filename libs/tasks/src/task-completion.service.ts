import { Injectable } from '@nestjs/common';
import { AchievementProgressService, CompletionOutcome } from '@app/achievements/achievement-progress.service';
import type { TaskEntity } from '@app/core/database/entities';
import type { ActivitySource, TaskCompletionMode } from '@app/core/database/enums';
import { ArchivedError } from '@app/core/errors/domain-error';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { FocusService } from '@app/focus/focus.service';
import { ForceCompleteResponseDto } from './dto/force-complete-response.dto';
import { toTaskDetailResponse } from './dto/task-detail-response.dto';
import type { TaskView } from './dto/task-response.dto';
import { SubtaskCompleted } from './subtasks/subtask.events';
import { SubtasksRepository } from './subtasks/subtasks.repository';
import { TaskAccess } from './task-access';
import { TaskDetails } from './task-details';
import { TaskCompleted } from './task.events';
import { completionFields } from './task-rules';
import { AlreadyCompletedError } from './tasks.errors';
import { TasksRepository } from './tasks.repository';
import { RecurringTrigger } from './templates/recurring-trigger';

/** A completed task with the achievements progress its completion made (returned inline, docs/rules.md §3.2). */
export interface CompletedTask {
  task: TaskEntity;
  progress: CompletionOutcome;
}

/** Task completion with its side effects, in the order and transaction of docs/rules.md §3.2. */
@Injectable()
export class TaskCompletion {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tasks: TasksRepository,
    private readonly subtasks: SubtasksRepository,
    private readonly access: TaskAccess,
    private readonly details: TaskDetails,
    private readonly focus: FocusService,
    private readonly recurring: RecurringTrigger,
    private readonly achievements: AchievementProgressService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Step 1 (completed, completed_at, completed_by, version+1) and the side effects; task row
   * locked. The task as left by them, with the subtask counts the write returned.
   */
  async complete(
    tx: Transaction,
    task: TaskEntity,
    mode: TaskCompletionMode,
    source: ActivitySource,
    now: Date,
  ): Promise<{ view: TaskView; progress: CompletionOutcome }> {
    const written = await this.tasks.write(tx.manager, task, {
      ...completionFields(mode, now),
      statsCounted: true,
      version: task.version + 1,
      updatedAt: now,
    });
    const completed = await this.afterCompleted(tx, written.task, !task.statsCounted, source, now);
    return { view: { ...written, task: completed.task }, progress: completed.progress };
  }

  /**
   * Steps 2–5 for a task whose row was just written completed with `stats_counted` set (the same
   * write, step 3: `counted` says whether this flipped it): end its focus session, enqueue its
   * successor, emit `task.completed`, then update statistics, streak and achievements.
   */
  async afterCompleted(
    tx: Transaction,
    task: TaskEntity,
    counted: boolean,
    source: ActivitySource,
    now: Date,
  ): Promise<CompletedTask> {
    let current = task;
    const ended = await this.focus.endActiveOnTask(tx, task.userId, task.id, now, source);
    if (ended) current = { ...current, focusTimeSeconds: ended.focusTimeSeconds, updatedAt: now };
    await this.recurring.onInstanceCompleted(tx, current);
    await tx.emit(
      TaskCompleted,
      {
        task_id: current.id,
        completed_by: current.completedBy ?? 'manual',
        completed_at: now,
        template_id: current.templateId,
        counted,
      },
      { userId: current.userId, source, occurredAt: now },
    );
    const progress = await this.achievements.recordCompletion(tx, current.userId, {
      counted,
      completedAt: now,
      focusTimeSeconds: current.focusTimeSeconds,
      estimatedDuration: current.estimatedDuration,
    });
    this.metrics.taskOperations.inc({ operation: 'complete' });
    return { task: current, progress };
  }

  /** `POST /tasks/{id}/force-complete`: every incomplete subtask and the task (no auto-completion). */
  forceComplete(userId: string, taskId: string, version: number | undefined): Promise<ForceCompleteResponseDto> {
    return this.uow.run(async (tx) => {
      const task = await this.access.lockOwned(tx.manager, userId, taskId);
      await this.access.assertVersion(tx.manager, task, version);
      if (task.archived) throw new ArchivedError('Task');
      if (task.completed) throw new AlreadyCompletedError();
      const now = new Date();
      for (const subtaskId of await this.subtasks.completeAll(tx.manager, taskId, now)) {
        await tx.emit(
          SubtaskCompleted,
          { subtask_id: subtaskId, task_id: taskId, auto_check: false },
          { userId, source: 'user', occurredAt: now },
        );
      }
      const { progress } = await this.complete(tx, task, 'force', 'user', now);
      return {
        task: toTaskDetailResponse(await this.details.load(taskId, tx.manager)),
        unlocked_achievements: progress.unlocked,
        streak: progress.currentStreak,
      };
    });
  }
}
