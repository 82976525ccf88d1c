import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/core/events/unit-of-work';
import type { Transaction } from '@app/core/events/transaction';
import { JOB_CATALOGUE } from '@app/core/jobs/job-catalogue';
import { JobContext, JobHandler, JobResult } from '@app/core/jobs/job-handler.decorator';
import { RecurringFailureReport } from './recurring-failure-report';
import { RecurringGenerator } from './recurring-generator';
import { TemplatesRepository } from './templates.repository';

export interface RecurringJobData {
  template_id: string;
  /** The completed instance; null for a re-activation job. */
  triggered_by_task_id: string | null;
}

const SKIPPED: JobResult = { status: 'skipped', result: { generated: 0, skipped: 1, failed: 0 } };

/**
 * `recurring_task_generate` (docs/jobs.md §4): idempotent — skipped when the template is gone,
 * inactive or exhausted, when the completed instance already has its successor, or (re-activation)
 * when an incomplete instance exists. Exempt from task limits (docs/rules.md §1).
 */
@Injectable()
export class RecurringJobs {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly templates: TemplatesRepository,
    private readonly generator: RecurringGenerator,
    private readonly failures: RecurringFailureReport,
  ) {}

  @JobHandler('recurring_task_generate')
  async generate(context: JobContext): Promise<JobResult> {
    const data = context.data as unknown as RecurringJobData;
    try {
      return await this.uow.run((tx) => this.generateIn(tx, data, context.now));
    } catch (error) {
      if (context.attempt >= JOB_CATALOGUE.recurring_task_generate.maxAttempts) {
        await this.reportFinalFailure(data, error, context.now);
      }
      throw error;
    }
  }

  private async generateIn(tx: Transaction, data: RecurringJobData, now: Date): Promise<JobResult> {
    const template = await this.templates.lockById(tx.manager, data.template_id);
    if (!template?.active) return SKIPPED;
    if (data.triggered_by_task_id) {
      if (await this.templates.successorExists(tx.manager, data.triggered_by_task_id)) return SKIPPED;
    } else if (await this.templates.hasIncompleteInstance(tx.manager, template.id)) {
      return SKIPPED;
    }
    const generated = await this.generator.generate(tx, template, now, data.triggered_by_task_id);
    return generated ? { status: 'success', result: { generated: 1, skipped: 0, failed: 0 } } : SKIPPED;
  }

  /** After the last attempt: `recurring.generation_failed` (activity + system notification). */
  private async reportFinalFailure(data: RecurringJobData, error: unknown, now: Date): Promise<void> {
    await this.uow.run(async (tx) => {
      const template = await this.templates.findById(data.template_id, tx.manager);
      if (!template) return;
      const message = error instanceof Error ? error.message : String(error);
      await this.failures.report(
        tx,
        template.userId,
        {
          template_id: template.id,
          triggered_by_task_id: data.triggered_by_task_id,
          title: template.title,
          error: message.slice(0, 500),
        },
        now,
      );
    });
  }
}
