/**
 * Conditional GET (RFC 9110 §13): If-None-Match (weak comparison) decides when present;
 * otherwise If-Modified-Since against a Last-Modified of whole seconds.
 */
export interface RequestConditions {
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

export function isNotModified(conditions: RequestConditions, etag: string, lastModified: Date): boolean {
  if (conditions.ifNoneMatch !== undefined) {
    const wanted = opaqueTag(etag);
    return conditions.ifNoneMatch
      .split(',')
      .map((tag) => tag.trim())
      .some((tag) => tag === '*' || opaqueTag(tag) === wanted);
  }
  if (conditions.ifModifiedSince === undefined) return false;
  const since = Date.parse(conditions.ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

function opaqueTag(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/**
 * The Last-Modified to record when the content changed at `now`: whole seconds (HTTP dates have
 * no more), and always later than the previous value, so two changes within one second still
 * give clients that only send If-Modified-Since a different date.
 */
export function nextLastModified(now: Date, previous: Date | null): Date {
  const seconds = Math.floor(now.getTime() / 1000) * 1000;
  return new Date(previous ? Math.max(seconds, previous.getTime() + 1000) : seconds);
}
