import { RestartBackoff, SUPERVISOR_RESTART_POLICY } from './restart-backoff';

describe('RestartBackoff', () => {
  let clock: number;
  const backoff = (): RestartBackoff => new RestartBackoff(SUPERVISOR_RESTART_POLICY, () => clock);

  beforeEach(() => {
    clock = 0;
  });

  /** A child that runs `ms` and exits; returns the supervisor's delay, then waits it out. */
  const runAndCrash = (subject: RestartBackoff, ms: number): number => {
    subject.started();
    clock += ms;
    const delay = subject.exited();
    clock += delay;
    return delay;
  };

  it('backs off a crash-looping child exponentially, capped at 30 s', () => {
    const subject = backoff();
    const delays = Array.from({ length: 8 }, () => runAndCrash(subject, 200));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts over after a stable run of at least a minute', () => {
    const subject = backoff();
    expect([runAndCrash(subject, 100), runAndCrash(subject, 100), runAndCrash(subject, 100)]).toEqual([
      1000, 2000, 4000,
    ]);
    expect(runAndCrash(subject, 60_000)).toBe(1000);
    expect(runAndCrash(subject, 59_999)).toBe(2000);
  });

  it('counts a run from its start, not from the previous exit', () => {
    const subject = backoff();
    runAndCrash(subject, 100);
    clock += 120_000;
    expect(runAndCrash(subject, 100)).toBe(2000);
  });
});
