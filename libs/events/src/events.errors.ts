import { DomainError, UnauthorizedError } from '@app/core/errors/domain-error';
import { MAX_STREAMS_PER_USER } from './event-stream-rules';

export class InvalidStreamTicketError extends UnauthorizedError {
  constructor() {
    super('Stream ticket unknown, already used or expired: request a new one');
  }
}

export class StreamLimitError extends DomainError {
  constructor() {
    super('STREAM_LIMIT_REACHED', `At most ${MAX_STREAMS_PER_USER} event streams per user are open at once`, {
      extra: { limit: MAX_STREAMS_PER_USER },
    });
  }
}
