import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TaskEntity, TaskTemplateEntity } from '@app/core/database/entities';
import type { Page } from '../tasks.repository';

@Injectable()
export class TemplatesRepository {
  constructor(private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskTemplateEntity | null> {
    return manager.findOne(TaskTemplateEntity, { where: { id } });
  }

  /** Serialises generation and edits of one template. */
  lockById(manager: EntityManager, id: string): Promise<TaskTemplateEntity | null> {
    return manager
      .createQueryBuilder(TaskTemplateEntity, 'tt')
      .setLock('pessimistic_write')
      .where('tt.id = :id', { id })
      .getOne();
  }

  async list(
    userId: string,
    includeInactive: boolean,
    page: Page,
  ): Promise<{ items: TaskTemplateEntity[]; total: number }> {
    const [items, total] = await this.dataSource.manager.findAndCount(TaskTemplateEntity, {
      where: includeInactive ? { userId } : { userId, active: true },
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: page.offset,
      take: page.limit,
    });
    return { items, total };
  }

  /** Every template of the user, active or not (the per-user cap, docs/recurrence-budget.md). */
  countForUser(manager: EntityManager, userId: string): Promise<number> {
    return manager.count(TaskTemplateEntity, { where: { userId } });
  }

  async insert(manager: EntityManager, template: TaskTemplateEntity): Promise<TaskTemplateEntity> {
    await manager.insert(TaskTemplateEntity, template);
    return template;
  }

  async update(
    manager: EntityManager,
    template: TaskTemplateEntity,
    changes: Partial<TaskTemplateEntity>,
  ): Promise<TaskTemplateEntity> {
    await manager.update(TaskTemplateEntity, { id: template.id }, changes);
    return manager.merge<TaskTemplateEntity>(TaskTemplateEntity, template, changes);
  }

  /** Instances keep existing: the foreign key sets their `template_id` to null (nothing else changes). */
  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(TaskTemplateEntity, { id });
  }

  /** The latest due date among the template's instances in any state (docs/rules.md §6). */
  async latestInstanceDueDate(manager: EntityManager, templateId: string): Promise<Date | null> {
    const rows: Array<{ latest: Date | null }> = await manager.query(
      `SELECT max(due_date) AS latest FROM task_instances WHERE template_id = $1`,
      [templateId],
    );
    return rows[0]?.latest ?? null;
  }

  hasIncompleteInstance(manager: EntityManager, templateId: string): Promise<boolean> {
    return manager.exists(TaskEntity, { where: { templateId, completed: false } });
  }

  /** Instances a propagating edit changes: incomplete and not archived (hidden included), locked. */
  editableInstances(manager: EntityManager, templateId: string): Promise<TaskEntity[]> {
    return manager
      .createQueryBuilder(TaskEntity, 't')
      .setLock('pessimistic_write')
      .where('t.template_id = :templateId AND t.completed = false AND t.archived = false', { templateId })
      .orderBy('t.createdAt', 'ASC')
      .getMany();
  }

  /** True when some task was already generated from this completed instance. */
  successorExists(manager: EntityManager, taskId: string): Promise<boolean> {
    return manager.exists(TaskEntity, { where: { generatedFromTaskId: taskId } });
  }
}
