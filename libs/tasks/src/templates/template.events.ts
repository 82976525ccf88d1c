import { defineEvent } from '@app/core/events/domain-event';

export interface TemplateRefPayload {
  template_id: string;
}

export interface TemplateUpdatedPayload extends TemplateRefPayload {
  changed_fields: string[];
}

export interface RecurringInstanceGeneratedPayload {
  template_id: string;
  instance_id: string;
  due_date: Date;
  /** The completed instance whose completion caused this one; null for create, manual or re-activation. */
  triggered_by_task_id: string | null;
}

export interface RecurringGenerationFailedPayload {
  template_id: string;
  triggered_by_task_id: string | null;
  /** Template title, for the system notification "Could not create the next occurrence of '<title>'". */
  title: string;
  error: string;
}

export const TemplateCreated = defineEvent<TemplateRefPayload>('template.created', (payload) => ({
  entityType: 'template',
  entityId: payload.template_id,
  action: 'template_created',
}));

export const TemplateUpdated = defineEvent<TemplateUpdatedPayload>('template.updated', (payload) => ({
  entityType: 'template',
  entityId: payload.template_id,
  action: 'template_updated',
  metadata: { changed_fields: payload.changed_fields },
}));

export const TemplateDeleted = defineEvent<TemplateRefPayload>('template.deleted', (payload) => ({
  entityType: 'template',
  entityId: payload.template_id,
  action: 'template_deleted',
}));

/** Always source `system` (docs/jobs.md §5). */
export const RecurringInstanceGenerated = defineEvent<RecurringInstanceGeneratedPayload>(
  'recurring.instance_generated',
  (payload) => ({
    entityType: 'task',
    entityId: payload.instance_id,
    action: 'recurring_instance_generated',
    metadata: {
      template_id: payload.template_id,
      due_date: payload.due_date.toISOString(),
      triggered_by_task_id: payload.triggered_by_task_id,
    },
  }),
);

/**
 * The final failed attempt of `recurring_task_generate` (its `system` notification is a direct call
 * of `RecurringFailureReport`). Logged against the completed instance (or the template when none).
 */
export const RecurringGenerationFailed = defineEvent<RecurringGenerationFailedPayload>(
  'recurring.generation_failed',
  (payload) => ({
    entityType: 'task',
    entityId: payload.triggered_by_task_id ?? payload.template_id,
    action: 'recurring_generation_failed',
    metadata: {
      template_id: payload.template_id,
      triggered_by_task_id: payload.triggered_by_task_id,
      error: payload.error,
    },
  }),
);
