import type { StoredResponse } from './idempotency.service';

/** Raised by the idempotency interceptor to answer with a stored outcome instead of running the handler. */
export class IdempotentReplay {
  constructor(readonly response: StoredResponse) {}
}
