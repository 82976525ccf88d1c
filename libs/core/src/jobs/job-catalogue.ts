/**
 * Every job of docs/jobs.md §4 with its UTC schedules (job-schedule.ts syntax) and attempts. Handlers
 * live in the feature that owns the effect (`@JobHandler(name)`); the worker discovers them and
 * enqueues one job per schedule slot. Queue-backed jobs are enqueued by the features themselves;
 * `counts` are the result counts their handlers return, which `npm run job` sums (docs/jobs.md §3).
 */
export const JOB_CATALOGUE = {
  reminder_fire: { schedules: ['@every 30s'], maxAttempts: 3, queueBacked: false },
  push_deliver: {
    schedules: [],
    maxAttempts: 3,
    queueBacked: true,
    counts: ['delivered', 'removed_subscriptions', 'failed'],
  },
  recurring_task_generate: {
    schedules: [],
    maxAttempts: 4,
    queueBacked: true,
    counts: ['generated', 'skipped', 'failed'],
  },
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
  // Issue #9 (docs/export-and-deletion.md, docs/sync.md).
  data_export: { schedules: [], maxAttempts: 3, queueBacked: true, counts: ['exported'] },
  data_export_cleanup: { schedules: ['45 * * * *'], maxAttempts: 3, queueBacked: false },
  sync_change_prune: { schedules: ['20 3 * * *'], maxAttempts: 3, queueBacked: false },
} as const satisfies Record<
  string,
  { schedules: readonly string[]; maxAttempts: number; queueBacked: boolean; counts?: readonly string[] }
>;

export type JobName = keyof typeof JOB_CATALOGUE;

export const JOB_NAMES = Object.keys(JOB_CATALOGUE) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.prototype.hasOwnProperty.call(JOB_CATALOGUE, name);
}
