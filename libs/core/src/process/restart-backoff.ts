export interface RestartPolicy {
  /** Delay before the first restart. */
  initialMs: number;
  /** Each further crash in a row multiplies the delay by this. */
  factor: number;
  /** The delay never grows beyond this. */
  maxMs: number;
  /** A child that ran this long before exiting was stable: the next delay starts over. */
  stableMs: number;
}

/** The `npm start` supervisor's policy (docs/configuration.md §1): 1 s, 2 s, 4 s … at most 30 s. */
export const SUPERVISOR_RESTART_POLICY: RestartPolicy = { initialMs: 1000, factor: 2, maxMs: 30_000, stableMs: 60_000 };

/**
 * When to restart a child process that exited: exponentially later while it keeps crashing soon
 * after each start (a crash loop must not spin), capped, and promptly again once a run was stable.
 */
export class RestartBackoff {
  private crashes = 0;
  private startedAt: number | undefined;

  constructor(
    private readonly policy: RestartPolicy = SUPERVISOR_RESTART_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** The child was (re)started. */
  started(): void {
    this.startedAt = this.now();
  }

  /** The child exited: milliseconds to wait before starting it again. */
  exited(): number {
    const ranFor = this.startedAt === undefined ? 0 : this.now() - this.startedAt;
    this.startedAt = undefined;
    if (ranFor >= this.policy.stableMs) this.crashes = 0;
    const delay = Math.min(this.policy.maxMs, this.policy.initialMs * this.policy.factor ** this.crashes);
    this.crashes++;
    return delay;
  }
}
