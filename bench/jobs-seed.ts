import type { Client } from 'pg';

/** Tasks of the one user whose list and detail are timed (the API on big data). */
export const HEAVY_USER_TASKS = 10_000;
/** Reminders due at the same instant (the 09:00 burst). */
export const BURST_REMINDERS = 10_000;

/**
 * Seeds `users` users by SQL with the realistic mix of issue #18, relative to the job clock `now`
 * (a UTC midnight): 30 % Pro with subscriptions in every state, kickstart / purchased / daily lots
 * (yesterday's expiring now, some partly used), 1 % stale reservations, streaks (a third broken),
 * 30 activity rows and 3 refresh tokens per user (a third revoked 8 days ago), 20 tasks per user,
 * one user with 10,000 tasks and 10,000 reminders due at `burstAt`.
 */
export async function seedJobsMix(db: Client, users: number, now: Date, burstAt: Date): Promise<void> {
  const day = 86_400_000;
  const yesterday = new Date(now.getTime() - day);
  const q = (sql: string, params: unknown[] = []) => db.query(sql, params);
  await q(
    `INSERT INTO users (google_id, email, name, tier, created_at)
     SELECT 'seed-' || i, 'seed-' || i || '@example.com', 'User ' || i, CASE WHEN i % 10 < 3 THEN 'pro' ELSE 'free' END, $2
     FROM generate_series(1, $1) AS i`,
    [users, new Date(now.getTime() - 40 * day)],
  );
  await q(`CREATE TEMP TABLE seed_users AS SELECT id, tier, row_number() OVER (ORDER BY id) AS n FROM users`);
  await q(`CREATE INDEX ON seed_users (n)`);
  // Lots: kickstart for all, purchased for 1 in 5, yesterday's daily lot for Pro (expiring at `now`).
  await q(
    `INSERT INTO ai_credit_ledger (user_id, credit_type, operation, amount, consumed, balance_after, operation_ref,
                                   description, created_at, updated_at)
     SELECT id, 'kickstart', 'grant', 5, CASE WHEN n % 2 = 0 THEN 5 ELSE 0 END, 5, NULL, 'Kickstart', $1, $1 FROM seed_users`,
    [new Date(now.getTime() - 40 * day)],
  );
  await q(
    `INSERT INTO ai_credit_ledger (user_id, credit_type, operation, amount, consumed, balance_after, operation_ref,
                                   description, created_at, updated_at)
     SELECT id, 'purchased', 'grant', 50, n % 20, 55, 'payment:seed-' || n, 'Purchased', $1, $1
     FROM seed_users WHERE n % 5 = 0`,
    [new Date(now.getTime() - 10 * day)],
  );
  await q(
    `INSERT INTO ai_credit_ledger (user_id, credit_type, operation, amount, consumed, balance_after, expires_at,
                                   grant_date, operation_ref, description, created_at, updated_at)
     SELECT id, 'daily', 'grant', 10, n % 11, 15, $2, $1::date, 'daily:' || $1::text, 'Daily AI credits', $3, $3
     FROM seed_users WHERE tier = 'pro'`,
    [yesterday.toISOString().slice(0, 10), now, yesterday],
  );
  // Stale reservations (crashed requests) for 1 % of the users, on their kickstart lot.
  await q(
    `INSERT INTO ai_credit_ledger (user_id, credit_type, operation, amount, status, balance_after, source_id,
                                   operation_ref, reservation_id, description, created_at, updated_at)
     SELECT l.user_id, 'kickstart', 'consume', -1, 'pending', 4, l.id, 'chat', gen_random_uuid(), 'Chat', $1, $1
     FROM ai_credit_ledger l JOIN seed_users u ON u.id = l.user_id
     WHERE l.credit_type = 'kickstart' AND u.n % 100 = 7 AND l.consumed = 0`,
    [new Date(now.getTime() - 20 * 60_000)],
  );
  await q(
    `UPDATE ai_credit_ledger l SET consumed = 1 FROM seed_users u
     WHERE u.id = l.user_id AND l.credit_type = 'kickstart' AND l.operation = 'grant' AND u.n % 100 = 7
       AND l.consumed = 0`,
  );
  // Streaks: every user has a state; half a streak, a third of those broken.
  await q(
    `INSERT INTO user_achievement_states (user_id, lifetime_tasks_completed, current_streak, longest_streak,
                                          last_completion_date)
     SELECT id, n % 40, CASE WHEN n % 2 = 0 THEN 1 + n % 9 ELSE 0 END, 10,
            CASE WHEN n % 6 = 0 THEN $1::date - 3 ELSE $1::date - 1 END
     FROM seed_users`,
    [now.toISOString().slice(0, 10)],
  );
  // Subscriptions of the Pro users: mostly active, some cancelled / grace / lapsed at `now`.
  await q(
    `INSERT INTO subscriptions (user_id, checkout_subscription_id, status, current_period_start, current_period_end, grace_period_end,
                                cancel_at_period_end, failed_payment_count, created_at, updated_at)
     SELECT id, 'sub_seed_' || n,
            CASE WHEN n % 50 = 1 THEN 'cancelled' WHEN n % 50 = 2 THEN 'grace' WHEN n % 50 = 3 THEN 'past_due' ELSE 'active' END,
            $1::timestamptz - interval '20 days',
            CASE WHEN n % 50 IN (1, 3) THEN $1::timestamptz - interval '4 days' ELSE $1::timestamptz + interval '10 days' END,
            CASE WHEN n % 50 = 2 THEN $1::timestamptz - interval '1 hour' END,
            n % 50 = 1, CASE WHEN n % 50 IN (2, 3) THEN 1 ELSE 0 END, $1, $1
     FROM seed_users WHERE tier = 'pro'`,
    [now],
  );
  // 30 activity rows per user over the last 60 days (half older than the 30-day retention).
  await q(
    `INSERT INTO activity_logs (user_id, entity_type, entity_id, action, source, created_at)
     SELECT u.id, 'task', 'seed-' || g, 'task_created', 'user', $1::timestamptz - g * interval '2 days'
     FROM seed_users u CROSS JOIN generate_series(1, 30) AS g`,
    [now],
  );
  // 3 refresh tokens per user, chained by rotation: the first revoked 8 days ago.
  await q(
    `INSERT INTO refresh_tokens (user_id, token_hash, created_at, expires_at, revoked_at)
     SELECT u.id, md5(u.id::text || g) || md5(g || u.id::text), $1::timestamptz - interval '9 days',
            $1::timestamptz + interval '20 days', CASE WHEN g = 1 THEN $1::timestamptz - interval '8 days' END
     FROM seed_users u CROSS JOIN generate_series(1, 3) AS g`,
    [now],
  );
  await q(
    `UPDATE refresh_tokens t SET replaced_by_id = n.id FROM refresh_tokens n
     WHERE t.revoked_at IS NOT NULL AND n.user_id = t.user_id AND n.revoked_at IS NULL AND n.token_hash > t.token_hash`,
  );
  // 20 tasks per user, one user with 10,000 tasks, and the reminder burst on that user's tasks.
  await q(
    `INSERT INTO task_instances (user_id, title, created_at, updated_at)
     SELECT u.id, 'Task ' || g, $1::timestamptz - g * interval '1 hour', $1 FROM seed_users u CROSS JOIN generate_series(1, 20) AS g`,
    [now],
  );
  await q(
    `INSERT INTO task_instances (user_id, title, created_at, updated_at)
     SELECT u.id, 'Heavy ' || g, $2::timestamptz - g * interval '1 minute', $2 FROM seed_users u, generate_series(1, $1) AS g
     WHERE u.n = 1`,
    [HEAVY_USER_TASKS, now],
  );
  await q(
    `INSERT INTO reminders (task_id, user_id, type, scheduled_at, method)
     SELECT t.id, t.user_id, 'absolute', $2, 'in_app'
     FROM (SELECT id, user_id FROM task_instances WHERE title LIKE 'Heavy %' ORDER BY id LIMIT $1) t`,
    [BURST_REMINDERS, burstAt],
  );
  await q(`DROP TABLE seed_users`);
  // A live database's tables are vacuumed (hint bits, visibility map) and checkpointed; a freshly
  // loaded one is not, and autovacuum would work through millions of new rows under the first jobs.
  await q(`VACUUM (ANALYZE)`);
  await q(`CHECKPOINT`);
}
