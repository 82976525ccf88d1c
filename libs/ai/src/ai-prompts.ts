import type { TaskEntity } from '@app/core/database/entities';
import type { ChatMessage } from './ai-provider.client';

export interface FocusedTask {
  task: TaskEntity;
  subtasks: Array<{ title: string; completed: boolean }>;
}

export interface ChatPromptInput {
  message: string;
  history: Array<{ role: 'user' | 'assistant'; content: string }>;
  focused: FocusedTask | null;
  tasks: TaskEntity[] | null;
  /** The stream asks for plain text (no JSON, no suggestions). */
  streamed: boolean;
}

const CHAT_SYSTEM_JSON = [
  'You are the assistant of a task-management app. Help the user plan and prioritise their work.',
  'You may only suggest actions; the user confirms them. Answer with a JSON object:',
  '{"response": "<text for the user>", "suggested_actions": [{"type": "create_task|update_task|complete_task|create_subtasks",',
  '"task_id": "<uuid of one of the user\'s tasks, null for create_task>", "description": "<why>", "data": {<fields>}}]}.',
  'Suggest at most 5 actions and only reference task ids given in the context.',
].join(' ');

const CHAT_SYSTEM_TEXT =
  'You are the assistant of a task-management app. Help the user plan and prioritise their work. ' +
  'Answer in plain text (no JSON, no markup); you cannot change anything yourself.';

function describeTask(task: TaskEntity): string {
  return JSON.stringify({
    id: task.id,
    title: task.title,
    priority: task.priority,
    due_date: task.dueDate ? task.dueDate.toISOString() : null,
  });
}

/** Messages of docs/integrations.md §2.1/§2.2: system prompt, optional context, history, then the message. */
export function chatMessages(input: ChatPromptInput): ChatMessage[] {
  const context: string[] = [];
  if (input.focused) {
    const { task, subtasks } = input.focused;
    context.push(
      'Focused task: ' +
        JSON.stringify({
          id: task.id,
          title: task.title,
          description: task.description,
          priority: task.priority,
          due_date: task.dueDate ? task.dueDate.toISOString() : null,
          completed: task.completed,
          subtasks,
        }),
    );
  }
  if (input.tasks) context.push(`Open tasks:\n${input.tasks.map(describeTask).join('\n') || '(none)'}`);
  return [
    { role: 'system', content: input.streamed ? CHAT_SYSTEM_TEXT : CHAT_SYSTEM_JSON },
    ...(context.length > 0 ? [{ role: 'system' as const, content: context.join('\n\n') }] : []),
    ...input.history.map((item) => ({ role: item.role, content: item.content })),
    { role: 'user', content: input.message },
  ];
}

/** docs/integrations.md §2.3. */
export function subtaskMessages(task: TaskEntity, limit: number): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        `Break the task into concrete, ordered, actionable steps. Return at most ${limit} items as JSON only: ` +
        '{"subtasks": [{"title": "<step, at most 200 characters>"}]}.',
    },
    {
      role: 'user',
      content: JSON.stringify({ title: task.title, description: task.description, max_subtasks: limit }),
    },
  ];
}

/** docs/integrations.md §2.4. */
export function conversionMessages(content: string, now: Date, subtaskLimit: number): ChatMessage[] {
  return [
    {
      role: 'system',
      content: [
        'Extract one actionable task from the note. Answer with JSON only:',
        '{"task": {"title": "...", "description": "...", "priority": "low|medium|high" (from urgency cues),',
        '"due_date": "<ISO 8601, only if the note states one>", "estimated_duration": <minutes 1-720>,',
        `"subtasks": [{"title": "..."}] (optional, at most ${subtaskLimit})}, "note_understanding": "<one sentence>",`,
        '"confidence": <0..1>}.',
      ].join(' '),
    },
    { role: 'user', content: `Current UTC date: ${now.toISOString()}\n\nNote:\n${content}` },
  ];
}
