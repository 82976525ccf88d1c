import { ConflictError, DomainError } from '@app/core/errors/domain-error';
import type { TaskResponseDto } from './dto/task-response.dto';

/**
 * A stale `version` (docs/api.md §1.7): carries `current_version`, the version detail and the current
 * task representation (`current`) so a client can merge.
 */
export class TaskVersionConflictError extends ConflictError {
  constructor(current: TaskResponseDto) {
    const message = `The task was changed meanwhile; its current version is ${current.version}`;
    super(message, { current_version: current.version, current }, [
      { field: 'version', message, current_version: current.version },
    ]);
  }
}

export class AlreadyCompletedError extends DomainError {
  constructor() {
    super('ALREADY_COMPLETED', 'The task is already completed');
  }
}
