import type { TaskTemplateEntity } from '@app/core/database/entities';
import type { TaskPriority } from '@app/core/database/enums';

/** The template fields a PATCH may set (docs/api.md §7), `rrule` already validated and stripped. */
export interface TemplatePatch {
  title?: string;
  description?: string | null;
  priority?: TaskPriority;
  estimated_duration?: number | null;
  rrule?: string;
  dtstart?: Date;
  active?: boolean;
}

type TemplateChanges = Partial<
  Pick<
    TaskTemplateEntity,
    'title' | 'description' | 'priority' | 'estimatedDuration' | 'rrule' | 'dtstart' | 'active' | 'nextDue'
  >
>;

export interface TemplatePatchPlan {
  fields: TemplateChanges;
  /** API names of the fields whose value changes. */
  changedFields: string[];
  /** Active afterwards and its rule changed or it was re-activated: `next_due` must be recomputed. */
  recomputeNextDue: boolean;
  /** `active` went from false to true (only that change re-activates, docs/api.md §7). */
  reactivated: boolean;
}

export function planTemplatePatch(template: TaskTemplateEntity, patch: TemplatePatch): TemplatePatchPlan {
  const fields: TemplateChanges = {};
  const changedFields: string[] = [];
  const set = <K extends keyof TemplateChanges>(
    name: string,
    key: K,
    value: TemplateChanges[K] | undefined,
    same: boolean,
  ): void => {
    if (value === undefined || same) return;
    fields[key] = value;
    changedFields.push(name);
  };
  const description = patch.description === null ? '' : patch.description;
  set('title', 'title', patch.title, patch.title === template.title);
  set('description', 'description', description, description === template.description);
  set('priority', 'priority', patch.priority, patch.priority === template.priority);
  set(
    'estimated_duration',
    'estimatedDuration',
    patch.estimated_duration,
    patch.estimated_duration === template.estimatedDuration,
  );
  set('rrule', 'rrule', patch.rrule, patch.rrule === template.rrule);
  set('dtstart', 'dtstart', patch.dtstart, patch.dtstart?.getTime() === template.dtstart.getTime());
  set('active', 'active', patch.active, patch.active === template.active);
  const active = fields.active ?? template.active;
  const reactivated = fields.active === true;
  if (fields.active === false) fields.nextDue = null;
  return {
    fields,
    changedFields,
    recomputeNextDue: active && (reactivated || 'rrule' in fields || 'dtstart' in fields),
    reactivated,
  };
}
