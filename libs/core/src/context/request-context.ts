import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContextData {
  requestId: string;
  userId?: string;
  /** `jti` of the access token: the scope of the per-task AI counter. */
  tokenId?: string;
}

const storage = new AsyncLocalStorage<RequestContextData>();

/** The request id and caller of the current HTTP request, for logs, activity entries and events. */
export const RequestContext = {
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run(data, fn);
  },
  current(): RequestContextData | undefined {
    return storage.getStore();
  },
  requestId(): string | null {
    return storage.getStore()?.requestId ?? null;
  },
};
