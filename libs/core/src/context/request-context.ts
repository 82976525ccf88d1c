import { AsyncLocalStorage } from 'node:async_hooks';
import type { ActivitySource } from '../database/enums';

export interface RequestContextData {
  requestId: string;
  userId?: string;
  /** `jti` of the access token: the scope of the per-task AI counter. */
  tokenId?: string;
  /** Recorded instead of `user` for the caller's own changes (MCP tool calls, docs/mcp.md §3). */
  userSource?: ActivitySource;
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
  /** The activity source of a change made on behalf of `source` within the current request. */
  sourceOf(source: ActivitySource): ActivitySource {
    return source === 'user' ? (storage.getStore()?.userSource ?? source) : source;
  },
};
