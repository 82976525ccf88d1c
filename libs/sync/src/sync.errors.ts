import { DomainError } from '@app/core/errors/domain-error';

/** The cursor predates the tombstone retention: the client must synchronise again without `since`. */
export class CursorExpiredError extends DomainError {
  constructor() {
    super('CURSOR_EXPIRED', 'This cursor is too old; synchronise again without since');
  }
}
