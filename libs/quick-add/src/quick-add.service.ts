import { Injectable } from '@nestjs/common';
import type { ActivitySource } from '@app/core/database/enums';
import { ValidationError } from '@app/core/errors/domain-error';
import type { Transaction } from '@app/core/events/transaction';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { codePointLength } from '@app/core/validation/validators';
import { toTaskResponse } from '@app/tasks/dto/task-response.dto';
import type { TaskResponseDto } from '@app/tasks/dto/task-response.dto';
import type { ReminderResponseDto } from '@app/tasks/dto/reminder-response.dto';
import { RemindersService } from '@app/reminders/reminders.service';
import { TasksService } from '@app/tasks/tasks.service';
import type { TemplateResponseDto } from '@app/tasks/templates/dto/template-response.dto';
import { TemplateExhaustedError } from '@app/tasks/templates/templates.errors';
import { TemplatesService } from '@app/tasks/templates/templates.service';
import { QuickAddPreviewResponseDto, toPreviewResponse } from './dto/quick-add-preview-response.dto';
import type { QuickAddResponseDto } from './dto/quick-add-response.dto';
import { toSpanResponse } from './dto/quick-add-span.dto';
import { parseQuickAdd, QuickAddParse } from './quick-add-parser';
import { UserTimeZoneReader } from './user-time-zone.reader';

const MAX_TITLE_LENGTH = 200;

/**
 * Quick add (docs/quick-add.md): the sentence is parsed in the user's time zone, then created
 * through the task, template and reminder services in one transaction, so their limits, events
 * and activity entries apply unchanged.
 */
@Injectable()
export class QuickAddService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly timeZones: UserTimeZoneReader,
    private readonly tasks: TasksService,
    private readonly templates: TemplatesService,
    private readonly reminders: RemindersService,
  ) {}

  async preview(userId: string, text: string): Promise<QuickAddPreviewResponseDto> {
    const timeZone = await this.timeZones.timeZoneOf(userId);
    return toPreviewResponse(parseQuickAdd(text, { now: new Date(), timeZone }), timeZone);
  }

  create(userId: string, text: string, source: ActivitySource): Promise<QuickAddResponseDto> {
    return this.uow.run((tx) => this.createInTx(tx, userId, text, source));
  }

  async createInTx(
    tx: Transaction,
    userId: string,
    text: string,
    source: ActivitySource,
  ): Promise<QuickAddResponseDto> {
    const timeZone = await this.timeZones.timeZoneOf(userId, tx.manager);
    const parse = parseQuickAdd(text, { now: new Date(), timeZone });
    assertTitle(parse.title);
    const { task, template } = await this.createTask(tx, userId, parse, source);
    const reminders: ReminderResponseDto[] = [];
    for (const reminder of parse.reminders) {
      reminders.push(await this.reminders.createInTx(tx, userId, task.id, reminder, source));
    }
    return { task, template, reminders, spans: parse.spans.map(toSpanResponse) };
  }

  private async createTask(
    tx: Transaction,
    userId: string,
    parse: QuickAddParse,
    source: ActivitySource,
  ): Promise<{ task: TaskResponseDto; template: TemplateResponseDto | null }> {
    const fields = {
      title: parse.title,
      estimated_duration: parse.estimated_duration,
      ...(parse.priority ? { priority: parse.priority } : {}),
    };
    if (!parse.recurrence) {
      const task = await this.tasks.createInTx(tx, userId, { ...fields, due_date: parse.due_date }, source);
      return { task: toTaskResponse({ task, subtaskCount: 0, subtaskCompletedCount: 0 }), template: null };
    }
    const { first_instance, ...template } = await this.templates.createInTx(
      tx,
      userId,
      { ...fields, rrule: parse.recurrence.rrule, dtstart: parse.recurrence.dtstart },
      source,
    );
    if (!first_instance) throw new TemplateExhaustedError();
    return { task: first_instance, template };
  }
}

function assertTitle(title: string): void {
  if (title.length === 0) throw ValidationError.field('text', 'leaves no title once the date and options are read');
  if (codePointLength(title) > MAX_TITLE_LENGTH) {
    throw ValidationError.field('text', `leaves a title longer than ${MAX_TITLE_LENGTH} characters`);
  }
}
