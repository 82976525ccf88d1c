import { Injectable } from '@nestjs/common';
import type { TaskEntity, TaskTemplateEntity } from '@app/core/database/entities';
import type { Transaction } from '@app/core/events/transaction';
import { JobQueue } from '@app/core/jobs/job-queue.service';
import { RecurringInlineAttempt } from './recurring-inline-attempt';
import type { RecurringJobData } from './recurring.jobs';
import { TemplatesRepository } from './templates.repository';

/**
 * Enqueues next-instance generation inside the caller's transaction (so the job exists iff the
 * change committed) and attempts it right after commit; a failure never undoes the change.
 */
@Injectable()
export class RecurringTrigger {
  constructor(
    private readonly queue: JobQueue,
    private readonly templates: TemplatesRepository,
    private readonly inline: RecurringInlineAttempt,
  ) {}

  /** Completion step 4 (docs/rules.md §3.2): an instance of an active template gets at most one successor. */
  async onInstanceCompleted(tx: Transaction, task: TaskEntity): Promise<void> {
    if (!task.templateId) return;
    const template = await this.templates.findById(task.templateId, tx.manager);
    if (!template?.active || (await this.templates.successorExists(tx.manager, task.id))) return;
    await this.enqueue(tx, { template_id: template.id, triggered_by_task_id: task.id }, `recurring:${task.id}`);
  }

  /** Re-activation without an incomplete instance (docs/api.md §7). */
  async onReactivated(tx: Transaction, template: TaskTemplateEntity, now: Date): Promise<void> {
    await this.enqueue(
      tx,
      { template_id: template.id, triggered_by_task_id: null },
      `recurring:${template.id}:${now.toISOString()}`,
    );
  }

  private async enqueue(tx: Transaction, data: RecurringJobData, singletonKey: string): Promise<void> {
    const jobId = await this.queue.enqueue(tx.manager, 'recurring_task_generate', data, { singletonKey });
    tx.afterCommit(() => this.inline.attempt(jobId));
  }
}
