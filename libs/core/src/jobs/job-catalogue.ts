/**
 * Every job of jobs.md §4 with its UTC schedule and attempts. Handlers live in the feature that
 * owns the effect (`@JobHandler(name)`); the worker discovers them and schedules these entries.
 */
export const JOB_CATALOGUE = {
  reminder_fire: { schedules: ['* * * * *'], maxAttempts: 3, queueBacked: false },
  push_deliver: { schedules: [], maxAttempts: 3, queueBacked: true },
  recurring_task_generate: { schedules: [], maxAttempts: 4, queueBacked: true },
  streak_calculate: { schedules: ['0 0 * * *'], maxAttempts: 3, queueBacked: false },
  credit_expire: { schedules: ['0 0 * * *', '5 * * * *'], maxAttempts: 3, queueBacked: false },
  credit_daily_grant: { schedules: ['0 0 * * *', '6 * * * *'], maxAttempts: 3, queueBacked: false },
  credit_reservation_release: { schedules: ['* * * * *'], maxAttempts: 3, queueBacked: false },
  subscription_check: { schedules: ['*/15 * * * *'], maxAttempts: 3, queueBacked: false },
  subscription_renew: { schedules: ['*/15 * * * *'], maxAttempts: 1, queueBacked: false },
  activity_log_purge: { schedules: ['0 3 * * *'], maxAttempts: 3, queueBacked: false },
  tombstone_cleanup: { schedules: ['10 3 * * *'], maxAttempts: 3, queueBacked: false },
  idempotency_key_cleanup: { schedules: ['15 * * * *'], maxAttempts: 3, queueBacked: false },
  maintenance_cleanup: { schedules: ['30 * * * *'], maxAttempts: 3, queueBacked: false },
} as const satisfies Record<string, { schedules: readonly string[]; maxAttempts: number; queueBacked: boolean }>;

export type JobName = keyof typeof JOB_CATALOGUE;

export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_CATALOGUE, name);
}

/**
 * pg-boss keeps one schedule per queue, so a job's extra schedules (e.g. `credit_expire` daily at
 * 00:00 and hourly at :05) get alias queues `<job>__<n>` that run the same handler.
 */
export function scheduleQueues(name: JobName): Array<{ queue: string; cron: string }> {
  return JOB_CATALOGUE[name].schedules.map((cron, index) => ({
    queue: index === 0 ? name : `${name}__${index}`,
    cron,
  }));
}

export function queueNames(name: JobName): string[] {
  const aliases = scheduleQueues(name).map((s) => s.queue);
  return aliases.includes(name) ? aliases : [name, ...aliases];
}
