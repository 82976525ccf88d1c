import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { AchievementsService } from '@app/achievements/achievements.service';
import { TASK_PRIORITIES } from '@app/core/database/enums';
import { ValidationError } from '@app/core/errors/domain-error';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { FocusService } from '@app/focus/focus.service';
import { CreateNoteDto } from '@app/notes/dto/create-note.dto';
import { NotesQueryDto } from '@app/notes/dto/notes-query.dto';
import { NotesService } from '@app/notes/notes.service';
import { QuickAddDto } from '@app/quick-add/dto/quick-add.dto';
import { QuickAddService } from '@app/quick-add/quick-add.service';
import { CreateTaskDto } from '@app/tasks/dto/create-task.dto';
import { TaskIdParamDto } from '@app/tasks/dto/id-param.dto';
import { ListTasksQueryDto } from '@app/tasks/dto/list-tasks-query.dto';
import { UpdateTaskDto } from '@app/tasks/dto/update-task.dto';
import { ListRemindersQueryDto } from '@app/reminders/dto/list-reminders-query.dto';
import { RemindersService } from '@app/reminders/reminders.service';
import { CreateSubtaskDto } from '@app/tasks/subtasks/dto/create-subtask.dto';
import { toSubtaskResponse } from '@app/tasks/subtasks/dto/subtask-response.dto';
import { SubtasksService } from '@app/tasks/subtasks/subtasks.service';
import { USER_ACTOR } from '@app/tasks/task-actor';
import { TasksService } from '@app/tasks/tasks.service';
import { asBody, asQuery } from './mcp-input';
import { defineTool, McpTool } from './mcp-tool';

const id = (what: string): z.ZodString => z.string().describe(`${what} id (UUID)`);
const timestamp = (what: string): z.ZodString => z.string().describe(`${what}: ISO 8601 date-time, UTC if no offset`);
const page = {
  limit: z.number().int().optional().describe('Page size, 1–100 (default 25)'),
  offset: z.number().int().optional().describe('Items to skip (default 0)'),
};
const taskFilters = {
  completed: z.boolean().optional().describe('Only completed (true) or open (false) tasks'),
  priority: z.enum(TASK_PRIORITIES).optional(),
  due_before: timestamp('Due on or before').optional(),
  due_after: timestamp('Due on or after').optional(),
  hidden: z.boolean().optional().describe('Include hidden tasks (default false)'),
  ...page,
};
const taskFields = {
  description: z.string().nullable().optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  due_date: timestamp('Due date, at most 30 days ahead').nullable().optional(),
  estimated_duration: z.number().int().nullable().optional().describe('Minutes, 1–720'),
};

/** The fields given (an explicit null stays: it clears the field, docs/api.md §1.7). */
function withoutUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined));
}

/**
 * The tools of the MCP endpoint (docs/mcp.md §4). Each validates its arguments with the REST
 * endpoint's DTO and calls the service that endpoint calls, for the token's user.
 */
@Injectable()
export class McpTools {
  readonly all: McpTool[];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly tasks: TasksService,
    private readonly quickAdd: QuickAddService,
    private readonly subtasks: SubtasksService,
    private readonly reminders: RemindersService,
    private readonly notes: NotesService,
    private readonly focus: FocusService,
    private readonly achievements: AchievementsService,
  ) {
    this.all = [
      defineTool({
        name: 'list_tasks',
        description: 'List your tasks, newest first, with optional filters',
        scope: 'read',
        writes: false,
        input: taskFilters,
        run: async (user, args) => this.tasks.list(user.id, await asQuery(ListTasksQueryDto, args)),
      }),
      defineTool({
        name: 'search_tasks',
        description: 'Find tasks whose title or description contains the text (any case)',
        scope: 'read',
        writes: false,
        input: { query: z.string().describe('Text to look for'), ...taskFilters },
        run: async (user, { query, ...filters }) =>
          this.tasks.list(user.id, await asQuery(ListTasksQueryDto, { ...filters, search: query })),
      }),
      defineTool({
        name: 'get_task',
        description: 'Read one task with its subtasks and reminders',
        scope: 'read',
        writes: false,
        input: { task_id: id('Task') },
        run: async (user, { task_id }) => ({ data: await this.tasks.get(user.id, await taskId(task_id)) }),
      }),
      defineTool({
        name: 'create_task',
        description:
          'Create a task. Either `text`, one plain-English sentence read like quick add ("Call mom tomorrow 5pm every sunday !high remind me 30m before"), or `title` with optional fields',
        scope: 'write',
        writes: true,
        input: { text: z.string().optional(), title: z.string().optional(), ...taskFields },
        run: async (user, { text, ...fields }) => {
          if (text === undefined) {
            return { data: await this.tasks.create(user.id, await asBody(CreateTaskDto, fields), USER_ACTOR) };
          }
          if (Object.values(fields).some((field) => field !== undefined)) {
            throw ValidationError.field('text', 'comes alone: the sentence carries the other fields');
          }
          return { data: await this.quickAdd.create(user.id, (await asBody(QuickAddDto, { text })).text, 'user') };
        },
      }),
      defineTool({
        name: 'update_task',
        description:
          'Change a task: only the fields given. `version` (from get_task) makes the change fail with CONFLICT if the task changed meanwhile',
        scope: 'write',
        writes: true,
        input: {
          task_id: id('Task'),
          title: z.string().optional(),
          ...taskFields,
          hidden: z.boolean().optional(),
          archived: z.boolean().optional(),
          version: z.number().int().optional(),
        },
        run: async (user, { task_id, ...patch }) => ({
          data: await this.tasks.update(
            user.id,
            await taskId(task_id),
            await asBody(UpdateTaskDto, withoutUndefined(patch)),
            USER_ACTOR,
          ),
        }),
      }),
      defineTool({
        name: 'complete_task',
        description: 'Mark a task completed (its subtasks stay as they are)',
        scope: 'write',
        writes: true,
        input: { task_id: id('Task'), version: z.number().int().optional() },
        run: async (user, { task_id, version }) => {
          const { version: checked } = await asBody(UpdateTaskDto, withoutUndefined({ version }));
          return { data: await this.tasks.complete(user.id, await taskId(task_id), { version: checked }, USER_ACTOR) };
        },
      }),
      defineTool({
        name: 'add_subtasks',
        description: 'Append subtasks to a task (all or none, within the per-task subtask limit)',
        scope: 'write',
        writes: true,
        input: { task_id: id('Task'), titles: z.array(z.string()).min(1).max(10).describe('1–10 titles') },
        run: async (user, args) => {
          const parent = await taskId(args.task_id);
          const titles: string[] = [];
          for (const title of args.titles) titles.push((await asBody(CreateSubtaskDto, { title })).title);
          const created = await this.uow.run((tx) => this.subtasks.createMany(tx, user.id, parent, titles, 'user'));
          return { data: created.map(toSubtaskResponse) };
        },
      }),
      defineTool({
        name: 'list_notes',
        description: 'List your notes, newest first',
        scope: 'read',
        writes: false,
        input: { archived: z.boolean().optional().describe('Include archived notes (default false)'), ...page },
        run: async (user, args) => this.notes.list(user.id, await asQuery(NotesQueryDto, args)),
      }),
      defineTool({
        name: 'create_note',
        description: 'Write a quick note',
        scope: 'write',
        writes: true,
        input: { content: z.string().describe('1–2000 characters') },
        run: async (user, { content }) => ({
          data: await this.notes.create(user.id, await asBody(CreateNoteDto, { content })),
        }),
      }),
      defineTool({
        name: 'upcoming_reminders',
        description: 'Reminders that have not fired yet, soonest first',
        scope: 'read',
        writes: false,
        input: { task_id: id('Only this task’s reminders: task').optional(), ...page },
        run: async (user, args) =>
          this.reminders.list(user.id, await asQuery(ListRemindersQueryDto, { ...args, fired: false })),
      }),
      defineTool({
        name: 'focus_stats',
        description: 'The running focus session, if any, and your completion, streak and focus statistics',
        scope: 'read',
        writes: false,
        input: {},
        run: async (user) => ({
          data: {
            active_session: await this.focus.getActive(user.id),
            stats: await this.achievements.stats(user.id),
          },
        }),
      }),
    ];
  }
}

/** A task id, checked like the REST path parameter (`400` when it is not a UUID). */
async function taskId(value: string): Promise<string> {
  return (await asBody(TaskIdParamDto, { task_id: value })).task_id;
}
