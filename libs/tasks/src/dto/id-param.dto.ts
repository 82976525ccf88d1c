import { UuidField } from '@app/core/validation/validators';

/** `{id}` path parameter: a malformed id is a 400 (docs/api.md §1.3). */
export class IdParamDto {
  @UuidField({ description: 'Resource id' })
  id: string;
}

/** `{task_id}` path parameter of the nested task routes. */
export class TaskIdParamDto {
  @UuidField({ description: 'Task id' })
  task_id: string;
}
