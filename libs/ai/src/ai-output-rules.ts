import { TASK_PRIORITIES, TaskPriority } from '@app/core/database/enums';
import { codePointLength, parseTimestamp, UUID_PATTERN } from '@app/core/validation/validators';

export const SUGGESTED_ACTION_TYPES = ['create_task', 'update_task', 'complete_task', 'create_subtasks'] as const;
export type SuggestedActionType = (typeof SUGGESTED_ACTION_TYPES)[number];
export const MAX_SUGGESTED_ACTIONS = 5;
const TITLE_MAX = 200;
const MAX_DUE_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SuggestedAction {
  type: SuggestedActionType;
  task_id: string | null;
  description: string;
  data: Record<string, unknown>;
}

export interface ChatAnswer {
  response: string;
  /** Unfiltered suggestions from the provider (see {@link filterSuggestedActions}). */
  actions: unknown[];
}

export interface TaskSuggestion {
  title: string;
  description: string;
  priority: TaskPriority;
  due_date: string | null;
  estimated_duration: number | null;
  subtasks: Array<{ title: string }>;
}

export interface ConversionSuggestion {
  task_suggestion: TaskSuggestion;
  note_understanding: string;
  confidence: number;
}

function parseObject(content: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(content);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function cut(text: string, max: number): string {
  return codePointLength(text) <= max ? text : Array.from(text).slice(0, max).join('');
}

/**
 * Chat content (docs/integrations.md §2.1): JSON with a string `response`, else the whole content is the
 * response with no suggestions (a plain-text answer is usable and charged).
 */
export function parseChatContent(content: string): ChatAnswer {
  const parsed = parseObject(content);
  if (!parsed || typeof parsed.response !== 'string') return { response: content, actions: [] };
  return {
    response: parsed.response,
    actions: Array.isArray(parsed.suggested_actions) ? parsed.suggested_actions : [],
  };
}

/** Task ids a set of raw suggestions refers to (to check ownership in one query). */
export function referencedTaskIds(actions: readonly unknown[]): string[] {
  return actions
    .filter(isObject)
    .map((action) => action.task_id)
    .filter((id): id is string => typeof id === 'string' && UUID_PATTERN.test(id))
    .map((id) => id.toLowerCase());
}

/**
 * docs/api.md §10.1: at most 5 `{type, task_id, description, data}`; unknown types and tasks that are
 * not the user's are dropped; `task_id` is null for `create_task`; `data` is always an object
 * (the confirm-action `action_data` minus `task_id`).
 */
export function filterSuggestedActions(
  actions: readonly unknown[],
  ownTaskIds: ReadonlySet<string>,
): SuggestedAction[] {
  const kept: SuggestedAction[] = [];
  for (const action of actions) {
    if (kept.length === MAX_SUGGESTED_ACTIONS) break;
    if (!isObject(action)) continue;
    const type = action.type;
    if (typeof type !== 'string' || !(SUGGESTED_ACTION_TYPES as readonly string[]).includes(type)) continue;
    let taskId: string | null = null;
    if (type !== 'create_task') {
      const raw = action.task_id;
      if (typeof raw !== 'string' || !ownTaskIds.has(raw.toLowerCase())) continue;
      taskId = raw.toLowerCase();
    }
    const data = isObject(action.data) ? { ...action.data } : {};
    delete data.task_id;
    kept.push({
      type: type as SuggestedActionType,
      task_id: taskId,
      description: typeof action.description === 'string' ? action.description : '',
      data,
    });
  }
  return kept;
}

/** docs/integrations.md §2.3 post-processing: trim, drop empty, cut to 200, case-insensitive dedupe, first N. */
export function cleanSubtaskTitles(items: unknown, limit: number): Array<{ title: string }> {
  if (!Array.isArray(items)) return [];
  const seen = new Set<string>();
  const titles: Array<{ title: string }> = [];
  for (const item of items) {
    if (titles.length >= limit) break;
    const raw = isObject(item) ? item.title : item;
    if (typeof raw !== 'string') continue;
    const title = cut(raw.trim(), TITLE_MAX).trim();
    if (title === '' || seen.has(title.toLowerCase())) continue;
    seen.add(title.toLowerCase());
    titles.push({ title });
  }
  return titles;
}

/** Subtask generation content → titles; null when unusable (not JSON, or no title left). */
export function parseSubtaskSuggestions(content: string, limit: number): Array<{ title: string }> | null {
  const parsed = parseObject(content);
  if (!parsed) return null;
  const titles = cleanSubtaskTitles(parsed.subtasks, limit);
  return titles.length > 0 ? titles : null;
}

/** Note conversion content (docs/integrations.md §2.4) → suggestion; null when unusable (no title). */
export function parseConversion(
  content: string,
  options: { now: Date; subtaskLimit: number; descriptionLimit: number },
): ConversionSuggestion | null {
  const parsed = parseObject(content);
  const task = parsed && isObject(parsed.task) ? parsed.task : null;
  const title = task && typeof task.title === 'string' ? cut(task.title.trim(), TITLE_MAX).trim() : '';
  if (!parsed || !task || title === '') return null;
  const priority = (TASK_PRIORITIES as readonly unknown[]).includes(task.priority)
    ? (task.priority as TaskPriority)
    : 'medium';
  const due = typeof task.due_date === 'string' ? parseTimestamp(task.due_date) : undefined;
  const dueDate = due && due.getTime() <= options.now.getTime() + MAX_DUE_DAYS * DAY_MS ? due.toISOString() : null;
  const estimate = task.estimated_duration;
  const confidence =
    typeof parsed.confidence === 'number' && Number.isFinite(parsed.confidence) ? parsed.confidence : 0.5;
  return {
    task_suggestion: {
      title,
      description: typeof task.description === 'string' ? cut(task.description.trim(), options.descriptionLimit) : '',
      priority,
      due_date: dueDate,
      estimated_duration:
        Number.isInteger(estimate) && (estimate as number) >= 1 && (estimate as number) <= 720
          ? (estimate as number)
          : null,
      subtasks: cleanSubtaskTitles(task.subtasks, options.subtaskLimit),
    },
    note_understanding: typeof parsed.note_understanding === 'string' ? parsed.note_understanding : '',
    confidence: Math.min(1, Math.max(0, confidence)),
  };
}
