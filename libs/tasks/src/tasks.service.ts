import { Injectable } from '@nestjs/common';
import type { CompletionOutcome } from '@app/achievements/achievement-progress.service';
import { TaskEntity } from '@app/core/database/entities';
import type { ActivitySource, TaskPriority } from '@app/core/database/enums';
import { ArchivedError } from '@app/core/errors/domain-error';
import { activityRowOf } from '@app/core/events/domain-event';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { ListEnvelope, paginated } from '@app/core/http/envelope';
import { MetricsService } from '@app/core/metrics/metrics.service';
import { TaskDetailResponseDto, toTaskDetailResponse } from './dto/task-detail-response.dto';
import { TaskResponseDto, TaskView, toTaskResponse } from './dto/task-response.dto';
import type { TaskWithAchievementsResponseDto } from './dto/task-with-achievements-response.dto';
import type { ListTasksQueryDto } from './dto/list-tasks-query.dto';
import { TaskAccess } from './task-access';
import type { TaskActor } from './task-actor';
import { CompletedTask, TaskCompletion } from './task-completion.service';
import { TaskDetails } from './task-details';
import { newTaskRow } from './new-task-row';
import { userChecked } from './ownership';
import {
  TaskArchived,
  TaskCreated,
  TaskHidden,
  TaskReopened,
  TaskUnarchived,
  TaskUnhidden,
  TaskUpdated,
  TaskUpdatedPayload,
} from './task.events';
import { TaskLimits } from './task-limits';
import {
  assertDescriptionLength,
  assertDueDateWithinWindow,
  assertPatchedDueDate,
  completionFields,
  isBlockedByArchive,
  planTaskPatch,
  reopenFields,
  TaskPatch,
  TaskPatchPlan,
} from './task-rules';
import { AlreadyCompletedError } from './tasks.errors';
import { TasksRepository } from './tasks.repository';

/** Fields of a new task (docs/api.md §5 `POST /tasks`), as validated by `CreateTaskDto`. */
export interface CreateTaskInput {
  title: string;
  description?: string | null;
  priority?: TaskPriority;
  due_date?: Date | null;
  estimated_duration?: number | null;
}

/** A PATCH body (docs/api.md §5), as validated by `UpdateTaskDto`. */
export interface UpdateTaskInput extends TaskPatch {
  version?: number;
}

/** A PATCH's answer, and the achievements progress of the completion it made (null when it completed nothing). */
export interface TaskPatchOutcome {
  response: TaskWithAchievementsResponseDto;
  progress: CompletionOutcome | null;
}

/**
 * Task use cases. Every write takes an actor so confirmed AI actions (source `ai`) reuse the same
 * rules; the `…InTx` variants join a caller's transaction.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly tasks: TasksRepository,
    private readonly access: TaskAccess,
    private readonly details: TaskDetails,
    private readonly limits: TaskLimits,
    private readonly completion: TaskCompletion,
    private readonly metrics: MetricsService,
  ) {}

  async list(userId: string, query: ListTasksQueryDto): Promise<ListEnvelope<TaskResponseDto>> {
    const page = { offset: query.offset, limit: query.limit };
    const checked = await this.tasks.list(
      userId,
      {
        completed: query.completed,
        priority: query.priority,
        hidden: query.hidden,
        archived: query.archived,
        templateId: query.template_id,
        dueBefore: query.due_before,
        dueAfter: query.due_after,
        search: query.search,
      },
      page,
    );
    const { items, total } = userChecked(checked);
    return paginated(items.map(toTaskResponse), page, total);
  }

  async get(userId: string, taskId: string): Promise<TaskDetailResponseDto> {
    return toTaskDetailResponse(await this.details.loadOwned(userId, taskId));
  }

  async create(userId: string, input: CreateTaskInput, actor: TaskActor): Promise<TaskResponseDto> {
    return this.uow.run(async (tx) => {
      const task = await this.createInTx(tx, userId, input, actor.source);
      return toTaskResponse({ task, subtaskCount: 0, subtaskCompletedCount: 0 });
    });
  }

  /**
   * Creates a task inside the caller's transaction: the user row locked (the request's user
   * check), then the active count and the insert in one statement.
   */
  async createInTx(
    tx: Transaction,
    userId: string,
    input: CreateTaskInput,
    source: ActivitySource,
  ): Promise<TaskEntity> {
    const now = new Date();
    const limits = await this.limits.lockedFor(tx.manager, userId);
    const description = input.description ?? '';
    assertDescriptionLength(description, limits.maxDescriptionLength);
    if (input.due_date) assertDueDateWithinWindow(input.due_date, now);
    const task = tx.manager.create(
      TaskEntity,
      newTaskRow(
        {
          userId,
          templateId: null,
          generatedFromTaskId: null,
          title: input.title,
          description,
          priority: input.priority ?? 'medium',
          dueDate: input.due_date ?? null,
          estimatedDuration: input.estimated_duration ?? null,
        },
        now,
      ),
    );
    const created = tx.prepare(
      TaskCreated,
      { task_id: task.id, template_id: null },
      { userId, source, occurredAt: now },
    );
    await this.limits.insertWithinLimit(tx.manager, task, limits, activityRowOf(TaskCreated, created)!);
    await tx.emitWritten(TaskCreated, created);
    this.metrics.taskOperations.inc({ operation: 'create' });
    return task;
  }

  update(
    userId: string,
    taskId: string,
    input: UpdateTaskInput,
    actor: TaskActor,
  ): Promise<TaskWithAchievementsResponseDto> {
    return this.uow.run(async (tx) => (await this.updateInTx(tx, userId, taskId, input, actor.source)).response);
  }

  /**
   * PATCH semantics of docs/api.md §5: checks (version → archived → stored-value validation), then one
   * row write with `version + 1`, then events in the apply order un-archive → fields →
   * completion → hidden → archive.
   */
  async updateInTx(
    tx: Transaction,
    userId: string,
    taskId: string,
    input: UpdateTaskInput,
    source: ActivitySource,
  ): Promise<TaskPatchOutcome> {
    const task = await this.access.lockOwned(tx.manager, userId, taskId);
    await this.access.assertVersion(tx.manager, task, input.version);
    if (isBlockedByArchive(task, input)) throw new ArchivedError('Task');
    const plan = planTaskPatch(task, input);
    assertPatchedDueDate(task, plan);
    if (plan.fields.description !== undefined) {
      const limits = await this.limits.readFor(tx.manager, userId);
      assertDescriptionLength(plan.fields.description, limits.maxDescriptionLength);
    }
    const now = new Date();
    // A PATCH that changes no flag emits task.updated alone: the write records its activity entry.
    const updated = changesFlag(plan)
      ? null
      : tx.prepare(TaskUpdated, updatedPayload(task.id, plan), { userId, source, occurredAt: now });
    const written = await this.tasks.write(
      tx.manager,
      task,
      {
        ...plan.fields,
        ...(plan.unarchive ? { archived: false } : {}),
        ...(plan.completion === 'complete' ? { ...completionFields('manual', now), statsCounted: true } : {}),
        ...(plan.completion === 'reopen' ? reopenFields() : {}),
        ...(plan.hidden !== null ? { hidden: plan.hidden } : {}),
        ...(plan.archive ? { archived: true } : {}),
        version: task.version + 1,
        updatedAt: now,
      },
      updated && activityRowOf(TaskUpdated, updated),
    );
    let patched: PatchedTask = { task: written.task, progress: null };
    if (updated) await tx.emitWritten(TaskUpdated, updated);
    else patched = await this.emitPatchEvents(tx, written.task, plan, !task.statsCounted, source, now);
    this.metrics.taskOperations.inc({ operation: 'update' });
    return {
      response: withAchievements({ ...written, task: patched.task }, patched.progress),
      progress: patched.progress,
    };
  }

  /** Manual completion for a confirmed `complete_task` action: a completed task is `ALREADY_COMPLETED`. */
  complete(
    userId: string,
    taskId: string,
    options: { version?: number },
    actor: TaskActor,
  ): Promise<TaskWithAchievementsResponseDto> {
    return this.uow.run(async (tx) => {
      const task = await this.access.lockOwned(tx.manager, userId, taskId);
      await this.access.assertVersion(tx.manager, task, options.version);
      if (task.archived) throw new ArchivedError('Task');
      if (task.completed) throw new AlreadyCompletedError();
      const { view, progress } = await this.completion.complete(tx, task, 'manual', actor.source, new Date());
      return withAchievements(view, progress);
    });
  }

  private async emitPatchEvents(
    tx: Transaction,
    task: TaskEntity,
    plan: TaskPatchPlan,
    firstCount: boolean,
    source: ActivitySource,
    now: Date,
  ): Promise<PatchedTask> {
    const options = { userId: task.userId, source, occurredAt: now };
    const ref = { task_id: task.id };
    if (plan.unarchive) await tx.emit(TaskUnarchived, ref, options);
    if (plan.changedFields.length > 0) await tx.emit(TaskUpdated, updatedPayload(task.id, plan), options);
    const patched: PatchedTask =
      plan.completion === 'complete'
        ? await this.completion.afterCompleted(tx, task, firstCount, source, now)
        : { task, progress: null };
    if (plan.completion === 'reopen') await tx.emit(TaskReopened, ref, options);
    if (plan.hidden !== null) await tx.emit(plan.hidden ? TaskHidden : TaskUnhidden, ref, options);
    if (plan.archive) await tx.emit(TaskArchived, ref, options);
    return patched;
  }
}

/** The task as its PATCH events left it, with the progress of a completion among them. */
type PatchedTask = CompletedTask | { task: TaskEntity; progress: null };

/** Whether the PATCH changes a flag (archived, completed, hidden), each with its own event. */
function changesFlag(plan: TaskPatchPlan): boolean {
  return plan.unarchive || plan.completion !== null || plan.hidden !== null || plan.archive;
}

function updatedPayload(taskId: string, plan: TaskPatchPlan): TaskUpdatedPayload {
  return {
    task_id: taskId,
    changed_fields: plan.changedFields,
    due_date_changed: plan.changedFields.includes('due_date'),
  };
}

/** The task as the request left it (its subtask counts from the write) with the achievements it unlocked. */
function withAchievements(view: TaskView, progress: CompletionOutcome | null): TaskWithAchievementsResponseDto {
  return { ...toTaskResponse(view), unlocked_achievements: progress?.unlocked ?? [] };
}
