import { Injectable, Type } from '@nestjs/common';
import { AchievementProgressService } from '@app/achievements/achievement-progress.service';
import { ArchivedError, ValidationError } from '@app/core/errors/domain-error';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { createValidationPipe } from '@app/core/validation/validation.pipe';
import { toNoteResponse } from '@app/notes/dto/note-response.dto';
import { NoteArchived, NoteConverted } from '@app/notes/note.events';
import { NotesRepository } from '@app/notes/notes.repository';
import { NotesService } from '@app/notes/notes.service';
import { toTaskDetailResponse } from '@app/tasks/dto/task-detail-response.dto';
import { toTaskResponse } from '@app/tasks/dto/task-response.dto';
import { toSubtaskResponse } from '@app/tasks/subtasks/dto/subtask-response.dto';
import { SubtasksService } from '@app/tasks/subtasks/subtasks.service';
import { TaskAccess } from '@app/tasks/task-access';
import { TaskDetails } from '@app/tasks/task-details';
import { AlreadyCompletedError } from '@app/tasks/tasks.errors';
import { TasksService } from '@app/tasks/tasks.service';
import { CreateTaskDto } from '@app/tasks/dto/create-task.dto';
import { InvalidActionError } from './ai.errors';
import { AiActionConfirmed, AiActionConfirmedPayload } from './ai.events';
import {
  CONFIRMABLE_ACTIONS,
  ConfirmableAction,
  ConfirmActionDto,
  ConfirmCompleteTaskData,
  ConfirmConvertNoteData,
  ConfirmCreateSubtasksData,
  ConfirmUpdateTaskData,
} from './dto/confirm-action.dto';
import type { ConfirmActionResponseDto } from './dto/confirm-action-response.dto';

const SOURCE = 'ai' as const;

/**
 * `POST /ai/confirm-action` (docs/api.md §10.5): executes a confirmed suggestion through the same task,
 * subtask and note services a user's own requests use (same validation, limits and conflicts),
 * with source `ai`, in one transaction: it fully succeeds or changes nothing. Free of charge.
 */
@Injectable()
export class ConfirmActionService {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly tasks: TasksService,
    private readonly subtasks: SubtasksService,
    private readonly access: TaskAccess,
    private readonly details: TaskDetails,
    private readonly notesService: NotesService,
    private readonly notes: NotesRepository,
    private readonly achievements: AchievementProgressService,
  ) {}

  async confirm(userId: string, dto: ConfirmActionDto): Promise<ConfirmActionResponseDto> {
    if (!(CONFIRMABLE_ACTIONS as readonly string[]).includes(dto.action_type))
      throw new InvalidActionError(dto.action_type);
    const actionType = dto.action_type as ConfirmableAction;
    switch (actionType) {
      case 'create_task': {
        const data = await this.parse(CreateTaskDto, dto.action_data);
        return this.run(userId, actionType, async (tx) => {
          const task = await this.tasks.createInTx(tx, userId, data, SOURCE);
          return {
            response: {
              action_type: actionType,
              task: toTaskResponse({ task, subtaskCount: 0, subtaskCompletedCount: 0 }),
            },
            confirmed: { entity_id: task.id, task_id: task.id, note_id: null, subtask_ids: [] },
          };
        });
      }
      case 'update_task': {
        const { task_id: taskId, ...patch } = await this.parse(ConfirmUpdateTaskData, dto.action_data);
        return this.run(userId, actionType, async (tx) => {
          const { unlocked_achievements: unlocked, ...task } = (
            await this.tasks.updateInTx(tx, userId, taskId, patch, SOURCE)
          ).response;
          return {
            response: { action_type: actionType, task, unlocked_achievements: unlocked },
            confirmed: { entity_id: taskId, task_id: taskId, note_id: null, subtask_ids: [] },
          };
        });
      }
      case 'complete_task': {
        const data = await this.parse(ConfirmCompleteTaskData, dto.action_data);
        return this.run(userId, actionType, async (tx) => {
          const task = await this.access.lockOwned(tx.manager, userId, data.task_id);
          await this.access.assertVersion(tx.manager, task, data.version);
          if (task.archived) throw new ArchivedError('Task');
          if (task.completed) throw new AlreadyCompletedError();
          const { response, progress } = await this.tasks.updateInTx(
            tx,
            userId,
            task.id,
            { completed: true, version: data.version },
            SOURCE,
          );
          return {
            response: {
              action_type: actionType,
              task: toTaskDetailResponse(await this.details.load(task.id, tx.manager)),
              unlocked_achievements: response.unlocked_achievements,
              streak: progress?.currentStreak ?? 0,
            },
            confirmed: { entity_id: task.id, task_id: task.id, note_id: null, subtask_ids: [] },
          };
        });
      }
      case 'create_subtasks': {
        const data = await this.parse(ConfirmCreateSubtasksData, dto.action_data);
        return this.run(userId, actionType, async (tx) => {
          const created = await this.subtasks.createMany(
            tx,
            userId,
            data.task_id,
            data.subtasks.map((subtask) => subtask.title),
            SOURCE,
          );
          return {
            response: { action_type: actionType, subtasks: created.map(toSubtaskResponse) },
            confirmed: {
              entity_id: data.task_id,
              task_id: data.task_id,
              note_id: null,
              subtask_ids: created.map((s) => s.id),
            },
          };
        });
      }
      case 'convert_note': {
        const data = await this.parse(ConfirmConvertNoteData, dto.action_data);
        return this.run(userId, actionType, (tx) => this.convertNote(tx, userId, data));
      }
    }
  }

  /** docs/rules.md §8: task (limits apply) with `source=ai` subtasks, note archived unless asked not to, one conversion counted. */
  private async convertNote(
    tx: Transaction,
    userId: string,
    data: ConfirmConvertNoteData,
  ): Promise<{ response: ConfirmActionResponseDto; confirmed: Omit<AiActionConfirmedPayload, 'action_type'> }> {
    const note = await this.notesService.findOwned(userId, data.note_id, tx.manager, true);
    if (note.archived) throw new ArchivedError('Note');
    const { subtasks = [], ...fields } = data.task;
    const task = await this.tasks.createInTx(tx, userId, fields, SOURCE);
    const created =
      subtasks.length > 0
        ? await this.subtasks.createMany(
            tx,
            userId,
            task.id,
            subtasks.map((subtask) => subtask.title),
            SOURCE,
          )
        : [];
    const firstConversion = note.convertedTaskId === null;
    const archive = data.archive_note ?? true;
    const now = new Date();
    const updated = await this.notes.update(
      tx.manager,
      note,
      { convertedTaskId: task.id, ...(archive ? { archived: true } : {}) },
      now,
    );
    const options = { userId, source: SOURCE, occurredAt: now };
    await tx.emit(NoteConverted, { note_id: note.id, task_id: task.id, first_conversion: firstConversion }, options);
    const unlocked = await this.achievements.recordNoteConversion(tx, userId, { firstConversion, convertedAt: now });
    if (archive) await tx.emit(NoteArchived, { note_id: note.id }, options);
    return {
      response: {
        action_type: 'convert_note',
        task: toTaskDetailResponse(await this.details.load(task.id, tx.manager)),
        note: toNoteResponse(updated),
        unlocked_achievements: unlocked,
      },
      confirmed: { entity_id: task.id, task_id: task.id, note_id: note.id, subtask_ids: created.map((s) => s.id) },
    };
  }

  private run(
    userId: string,
    actionType: ConfirmableAction,
    work: (
      tx: Transaction,
    ) => Promise<{ response: ConfirmActionResponseDto; confirmed: Omit<AiActionConfirmedPayload, 'action_type'> }>,
  ): Promise<ConfirmActionResponseDto> {
    return this.uow.run(async (tx) => {
      const { response, confirmed } = await work(tx);
      await tx.emit(AiActionConfirmed, { action_type: actionType, ...confirmed }, { userId, source: SOURCE });
      return response;
    });
  }

  /** Validates `action_data` like the equivalent endpoint's body; details are named `action_data.<field>`. */
  private async parse<T extends object>(type: Type<T>, data: Record<string, unknown>): Promise<T> {
    try {
      return (await this.validation.transform(data, { type: 'body', metatype: type })) as T;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      throw new ValidationError(
        (error.details ?? []).map((detail) => ({ ...detail, field: `action_data.${detail.field}` })),
      );
    }
  }
}
