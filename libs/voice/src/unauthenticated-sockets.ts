/** docs/realtime.md §1.1: voice sockets of one client IP that have not authenticated yet, at most. */
export const MAX_UNAUTHENTICATED_SOCKETS_PER_IP = 10;

/** Counts the unauthenticated voice sockets per client IP (this instance's). */
export class UnauthenticatedSockets {
  private readonly counts = new Map<string, number>();

  /** Takes a place for `ip`: its release (safe to call more than once), or null when `ip` is at the cap. */
  admit(ip: string): (() => void) | null {
    const count = this.counts.get(ip) ?? 0;
    if (count >= MAX_UNAUTHENTICATED_SOCKETS_PER_IP) return null;
    this.counts.set(ip, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(ip) ?? 1) - 1;
      if (left > 0) this.counts.set(ip, left);
      else this.counts.delete(ip);
    };
  }
}
