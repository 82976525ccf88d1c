import type { TestApp } from '../support/test-app';

/** A task row for AI tests that only read tasks (the tasks feature owns creation rules). */
export async function insertTask(
  t: TestApp,
  userId: string,
  fields: {
    title?: string;
    description?: string;
    archived?: boolean;
    completed?: boolean;
    hidden?: boolean;
    dueDate?: Date | null;
  } = {},
): Promise<string> {
  const [row] = await t.dataSource.query(
    `INSERT INTO task_instances (user_id, title, description, archived, completed, hidden, due_date)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      userId,
      fields.title ?? 'Write the quarterly report',
      fields.description ?? 'Numbers for Q1',
      fields.archived ?? false,
      fields.completed ?? false,
      fields.hidden ?? false,
      fields.dueDate ?? null,
    ],
  );
  return row.id;
}

/** Parses a `text/event-stream` body into its `data:` payloads (JSON, or the `[DONE]` literal). */
export function sseEvents(body: string): unknown[] {
  return body
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length))
    .map((data) => (data === '[DONE]' ? data : JSON.parse(data)));
}
