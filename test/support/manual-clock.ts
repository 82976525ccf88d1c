import { Clock } from '@app/core/clock/clock';

/** A clock that stands still where the test puts it (`createTestApp(env, { clock })`). */
export class ManualClock extends Clock {
  constructor(private current: Date) {
    super();
  }

  set(instant: Date | string): void {
    this.current = new Date(instant);
  }

  override now(): Date {
    return new Date(this.current);
  }
}
