import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { TaskTemplateEntity } from '@app/core/database/entities';
import type { ActivitySource } from '@app/core/database/enums';
import { owned } from '@app/core/errors/owned';
import type { Transaction } from '@app/core/events/transaction';
import { assertWithinLimit } from '@app/limits/limit-check';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import { ListEnvelope, paginated } from '@app/core/http/envelope';
import { toTaskResponse } from '../dto/task-response.dto';
import { TaskUpdated } from '../task.events';
import { TaskLimits } from '../task-limits';
import { assertDescriptionLength, planTaskPatch } from '../task-rules';
import { TasksRepository } from '../tasks.repository';
import type { CreateTemplateDto } from './dto/create-template.dto';
import type { GeneratedInstanceResponseDto } from './dto/generated-instance-response.dto';
import type { ListTemplatesQueryDto } from './dto/list-templates-query.dto';
import type { TemplateCreatedResponseDto } from './dto/template-created-response.dto';
import { TemplateResponseDto, toTemplateResponse } from './dto/template-response.dto';
import type { UpdateTemplateDto } from './dto/update-template.dto';
import { occurrenceAfter } from './recurrence';
import { RecurringGenerator } from './recurring-generator';
import { RecurringTrigger } from './recurring-trigger';
import { validateRecurrenceRule } from './rrule-validation';
import { TemplateCreated, TemplateDeleted, TemplateUpdated } from './template.events';
import { planTemplatePatch } from './template-rules';
import { TemplateExhaustedError, TemplateInactiveError } from './templates.errors';
import { TemplatesRepository } from './templates.repository';

const GENERATED_MESSAGE = 'Instance generated successfully';
/** Templates a user may have, active or not (docs/recurrence-budget.md): bounds every feed's work. */
export const MAX_TEMPLATES_PER_USER = 100;

/** Recurring templates (docs/api.md §7, docs/rules.md §6). */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly templates: TemplatesRepository,
    private readonly tasks: TasksRepository,
    private readonly limits: TaskLimits,
    private readonly generator: RecurringGenerator,
    private readonly trigger: RecurringTrigger,
  ) {}

  async list(userId: string, query: ListTemplatesQueryDto): Promise<ListEnvelope<TemplateResponseDto>> {
    const page = { offset: query.offset, limit: query.limit };
    const { items, total } = await this.templates.list(userId, query.include_inactive, page);
    return paginated(items.map(toTemplateResponse), page, total);
  }

  async get(userId: string, templateId: string): Promise<TemplateResponseDto> {
    return toTemplateResponse(owned(await this.templates.findById(templateId), userId, 'Template'));
  }

  /** Creates the template and its first instance, due at the first occurrence after now; a limit failure creates nothing. */
  create(userId: string, dto: CreateTemplateDto): Promise<TemplateCreatedResponseDto> {
    return this.uow.run((tx) => this.createInTx(tx, userId, dto, 'user'));
  }

  /** `create` inside the caller's transaction (quick add creates the template and its reminders together). */
  async createInTx(
    tx: Transaction,
    userId: string,
    dto: CreateTemplateDto,
    source: ActivitySource,
  ): Promise<TemplateCreatedResponseDto> {
    const rrule = validateRecurrenceRule(dto.rrule);
    const now = new Date();
    const limits = await this.limits.lockedFor(tx.manager, userId);
    const description = dto.description ?? '';
    assertDescriptionLength(description, limits.maxDescriptionLength);
    const dtstart = dto.dtstart ?? new Date(Math.floor(now.getTime() / 1000) * 1000);
    const templates = await this.templates.countForUser(tx.manager, userId);
    const message = `Template limit reached (${MAX_TEMPLATES_PER_USER}); delete templates first`;
    assertWithinLimit(templates, 1, MAX_TEMPLATES_PER_USER, message);
    if (occurrenceAfter(rrule, dtstart, now)) await this.limits.assertActiveRoom(tx.manager, userId, limits);
    const template = await this.templates.insert(
      tx.manager,
      tx.manager.create(TaskTemplateEntity, {
        id: randomUUID(),
        userId,
        title: dto.title,
        description,
        priority: dto.priority ?? 'medium',
        estimatedDuration: dto.estimated_duration ?? null,
        rrule,
        dtstart,
        nextDue: null,
        active: true,
        lastGeneratedAt: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await tx.emit(TemplateCreated, { template_id: template.id }, { userId, source, occurredAt: now });
    const generated = await this.generator.generate(tx, template, now, null);
    return {
      ...toTemplateResponse(generated?.template ?? template),
      first_instance: generated
        ? toTaskResponse({ task: generated.task, subtaskCount: 0, subtaskCompletedCount: 0 })
        : null,
    };
  }

  update(userId: string, templateId: string, dto: UpdateTemplateDto): Promise<TemplateResponseDto> {
    const rrule = dto.rrule !== undefined ? validateRecurrenceRule(dto.rrule) : undefined;
    return this.uow.run(async (tx) => {
      const stored = owned(await this.templates.lockById(tx.manager, templateId), userId, 'Template');
      const plan = planTemplatePatch(stored, { ...dto, rrule });
      if (plan.fields.description !== undefined) {
        const limits = await this.limits.readFor(tx.manager, userId);
        assertDescriptionLength(plan.fields.description, limits.maxDescriptionLength);
      }
      const now = new Date();
      let template = stored;
      if (plan.changedFields.length > 0) {
        const nextDue = plan.recomputeNextDue
          ? await this.nextDueAfterInstances(tx, { ...stored, ...plan.fields }, now)
          : undefined;
        template = await this.templates.update(tx.manager, stored, {
          ...plan.fields,
          ...(nextDue !== undefined ? { nextDue } : {}),
          updatedAt: now,
        });
        await tx.emit(
          TemplateUpdated,
          { template_id: template.id, changed_fields: plan.changedFields },
          { userId, source: 'user', occurredAt: now },
        );
      }
      if (dto.apply_to_future_only === false) await this.propagate(tx, template, dto, now);
      if (plan.reactivated && !(await this.templates.hasIncompleteInstance(tx.manager, template.id))) {
        await this.trigger.onReactivated(tx, template, now);
      }
      return toTemplateResponse(template);
    });
  }

  delete(userId: string, templateId: string): Promise<void> {
    return this.uow.run(async (tx) => {
      const template = owned(await this.templates.lockById(tx.manager, templateId), userId, 'Template');
      await this.templates.delete(tx.manager, template.id);
      await tx.emit(TemplateDeleted, { template_id: template.id }, { userId, source: 'user' });
    });
  }

  /** Generates the next instance now, even if an incomplete one exists (limits apply). */
  generate(userId: string, templateId: string): Promise<GeneratedInstanceResponseDto> {
    return this.uow.run(async (tx) => {
      const template = owned(await this.templates.lockById(tx.manager, templateId), userId, 'Template');
      if (!template.active) throw new TemplateInactiveError();
      const now = new Date();
      if (!this.generator.nextDueDate(template, now)) throw new TemplateExhaustedError();
      const limits = await this.limits.lockedFor(tx.manager, userId);
      await this.limits.assertActiveRoom(tx.manager, userId, limits);
      const generated = await this.generator.generate(tx, template, now, null);
      if (!generated) throw new TemplateExhaustedError();
      const { task } = generated;
      return {
        template_id: template.id,
        instance_id: task.id,
        title: task.title,
        due_date: (task.dueDate as Date).toISOString(),
        task: toTaskResponse({ task, subtaskCount: 0, subtaskCompletedCount: 0 }),
        message: GENERATED_MESSAGE,
      };
    });
  }

  /**
   * After a rule change or re-activation: the first occurrence strictly after the later of now
   * and the newest instance's due date, so no instance is ever duplicated (docs/rules.md §6).
   */
  private async nextDueAfterInstances(tx: Transaction, template: TaskTemplateEntity, now: Date): Promise<Date | null> {
    const latest = await this.templates.latestInstanceDueDate(tx.manager, template.id);
    const base = latest && latest.getTime() > now.getTime() ? latest : now;
    return occurrenceAfter(template.rrule, template.dtstart, base);
  }

  /** `apply_to_future_only=false`: incomplete, non-archived instances take the body's fields (version+1 each). */
  private async propagate(
    tx: Transaction,
    template: TaskTemplateEntity,
    dto: UpdateTemplateDto,
    now: Date,
  ): Promise<void> {
    for (const instance of await this.templates.editableInstances(tx.manager, template.id)) {
      const { title, description, priority, estimated_duration } = dto;
      const plan = planTaskPatch(instance, { title, description, priority, estimated_duration });
      if (plan.changedFields.length === 0) continue;
      await this.tasks.update(tx.manager, instance, { ...plan.fields, version: instance.version + 1, updatedAt: now });
      await tx.emit(
        TaskUpdated,
        { task_id: instance.id, changed_fields: plan.changedFields, due_date_changed: false },
        { userId: template.userId, source: 'user', occurredAt: now },
      );
    }
  }
}
