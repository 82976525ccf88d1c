import type { TestApp } from '../support/test-app';
import { createTasksTestApp, TASK_KEYS } from './task-fixtures';

type Operation = {
  deprecated?: boolean;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
};

/** [method, path, success status, has a JSON body, documented error statuses] */
const ENDPOINTS: Array<[string, string, string, boolean, string[]]> = [
  ['get', '/api/v1/tasks', '200', false, ['400', '401']],
  ['post', '/api/v1/tasks', '201', true, ['400', '409']],
  ['get', '/api/v1/tasks/{id}', '200', false, ['403', '404']],
  ['patch', '/api/v1/tasks/{id}', '200', true, ['400', '403', '404', '409']],
  ['put', '/api/v1/tasks/{id}', '200', true, ['400', '403', '404', '409']],
  ['delete', '/api/v1/tasks/{id}', '200', false, ['403', '404']],
  ['post', '/api/v1/tasks/{id}/force-complete', '200', true, ['403', '404', '409']],
  ['post', '/api/v1/tasks/recover/{tombstone_id}', '200', false, ['403', '404', '409']],
  ['get', '/api/v1/tombstones', '200', false, ['401']],
  ['get', '/api/v1/recovery/tombstones', '200', false, ['401']],
  ['get', '/api/v1/tasks/{task_id}/subtasks', '200', false, ['403', '404']],
  ['post', '/api/v1/tasks/{task_id}/subtasks', '201', true, ['400', '403', '404', '409']],
  ['put', '/api/v1/tasks/{task_id}/subtasks/reorder', '200', true, ['400', '403', '404', '409']],
  ['patch', '/api/v1/subtasks/{id}', '200', true, ['400', '403', '404', '409']],
  ['put', '/api/v1/subtasks/{id}', '200', true, ['400', '403', '404', '409']],
  ['delete', '/api/v1/subtasks/{id}', '200', false, ['403', '404', '409']],
  ['get', '/api/v1/templates', '200', false, ['400']],
  ['post', '/api/v1/templates', '201', true, ['400', '409']],
  ['get', '/api/v1/templates/{id}', '200', false, ['403', '404']],
  ['patch', '/api/v1/templates/{id}', '200', true, ['400', '403', '404']],
  ['delete', '/api/v1/templates/{id}', '200', false, ['403', '404']],
  ['post', '/api/v1/templates/{id}/generate', '201', false, ['403', '404', '409']],
  ['get', '/api/v1/reminders', '200', false, ['400']],
  ['post', '/api/v1/reminders', '201', true, ['400', '403', '404', '409']],
  ['get', '/api/v1/tasks/{task_id}/reminders', '200', false, ['403', '404']],
  ['post', '/api/v1/tasks/{task_id}/reminders', '201', true, ['400', '403', '404', '409']],
  ['get', '/api/v1/reminders/{id}', '200', false, ['403', '404']],
  ['patch', '/api/v1/reminders/{id}', '200', true, ['400', '403', '404', '409']],
  ['delete', '/api/v1/reminders/{id}', '200', false, ['403', '404', '409']],
  ['post', '/api/v1/focus/start', '201', true, ['400', '403', '404', '409']],
  ['post', '/api/v1/focus/end', '200', true, ['400', '403', '404']],
  ['get', '/api/v1/focus/active', '200', false, ['401']],
  ['get', '/api/v1/activity', '200', false, ['400']],
];

describe('OpenAPI document of the task domain', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;

  beforeAll(async () => {
    t = await createTasksTestApp();
    paths = (await t.http.get('/docs-json')).body.paths;
  });

  afterAll(async () => {
    await t.close();
  });

  it.each(ENDPOINTS)(
    'should document %s %s with request, response and error schemas',
    (method, path, success, hasBody, errors) => {
      const operation = paths[path]?.[method];
      expect(operation).toBeDefined();
      expect(operation.responses[success]?.content?.['application/json']?.schema).toBeDefined();
      for (const status of errors)
        expect(operation.responses[status]?.content?.['application/json']?.schema).toBeDefined();
      if (hasBody) expect(operation.requestBody?.content['application/json']?.schema).toBeDefined();
    },
  );

  it('should mark only the task PUT alias as deprecated', () => {
    expect(paths['/api/v1/tasks/{id}'].put.deprecated).toBe(true);
    expect(paths['/api/v1/tasks/{id}'].patch.deprecated).toBeFalsy();
    expect(paths['/api/v1/subtasks/{id}'].put.deprecated).toBeFalsy();
  });

  it('should describe the Task representation with every documented field', async () => {
    const schemas = (await t.http.get('/docs-json')).body.components.schemas;
    expect(Object.keys(schemas.TaskResponseDto.properties).sort()).toEqual([...TASK_KEYS].sort());
    expect(schemas.TaskResponseDto.properties.template_id.nullable).toBe(true);
  });
});
