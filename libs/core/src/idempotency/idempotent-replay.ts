import type { StoredResponse } from './stored-response';

/** Raised by the idempotency interceptor to answer with a stored outcome instead of running the handler. */
export class IdempotentReplay {
  constructor(readonly response: StoredResponse) {}
}
