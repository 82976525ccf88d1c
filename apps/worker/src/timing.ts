/** A loop's sleep that can be cut short; a wake that arrives while awake ends the next sleep at once. */
export class Wakeable {
  private pending = false;
  private finish?: () => void;

  /** Without `ms`, sleeps until woken. */
  sleep(ms?: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.finish?.(), Math.max(0, ms));
      this.finish = () => {
        clearTimeout(timer);
        this.finish = undefined;
        resolve();
      };
    });
  }

  wake(): void {
    if (this.finish) this.finish();
    else this.pending = true;
  }
}

/** Waits for `work`, but no longer than `ms`. */
export async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))))]);
  clearTimeout(timer);
}
