import { Injectable } from '@nestjs/common';
import { TaskEntity, TaskTemplateEntity } from '@app/core/database/entities';
import type { Transaction } from '@app/core/events/transaction';
import { newTaskRow } from '../new-task-row';
import { TasksRepository } from '../tasks.repository';
import { occurrenceAfter } from './recurrence';
import { RecurringInstanceGenerated } from './template.events';
import { TemplatesRepository } from './templates.repository';

/** Creates the next instance of a template (docs/rules.md §6); callers decide on limits and triggers. */
@Injectable()
export class RecurringGenerator {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly templates: TemplatesRepository,
  ) {}

  /**
   * `next_due` when it is in the future, else the first occurrence after now; null when exhausted:
   * once a template has generated, a null `next_due` means COUNT/UNTIL is used up (docs/rules.md §6).
   */
  nextDueDate(template: TaskTemplateEntity, now: Date): Date | null {
    if (!template.nextDue && template.lastGeneratedAt) return null;
    if (template.nextDue && template.nextDue.getTime() > now.getTime()) return template.nextDue;
    return occurrenceAfter(template.rrule, template.dtstart, now);
  }

  /** Inserts the instance and advances the template; null (nothing written) when exhausted. */
  async generate(
    tx: Transaction,
    template: TaskTemplateEntity,
    now: Date,
    triggeredByTaskId: string | null,
  ): Promise<{ task: TaskEntity; template: TaskTemplateEntity } | null> {
    const dueDate = this.nextDueDate(template, now);
    if (!dueDate) return null;
    const task = await this.tasks.insert(
      tx.manager,
      tx.manager.create(
        TaskEntity,
        newTaskRow(
          {
            userId: template.userId,
            templateId: template.id,
            generatedFromTaskId: triggeredByTaskId,
            title: template.title,
            description: template.description,
            priority: template.priority,
            dueDate,
            estimatedDuration: template.estimatedDuration,
          },
          now,
        ),
      ),
    );
    const advanced = await this.templates.update(tx.manager, template, {
      nextDue: occurrenceAfter(template.rrule, template.dtstart, dueDate),
      lastGeneratedAt: now,
      updatedAt: now,
    });
    await tx.emit(
      RecurringInstanceGenerated,
      { template_id: template.id, instance_id: task.id, due_date: dueDate, triggered_by_task_id: triggeredByTaskId },
      { userId: template.userId, source: 'system', occurredAt: now },
    );
    return { task, template: advanced };
  }
}
