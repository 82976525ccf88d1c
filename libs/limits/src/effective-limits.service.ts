import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/core/config/app-config';
import type { UserTier } from '@app/core/database/enums';
import { NamedStatement, namedStatement, runNamed } from '@app/core/database/named-statement';
import { NotFoundError } from '@app/core/errors/domain-error';
import { DataSource, EntityManager } from 'typeorm';
import { effectiveLimits, PerkTotals, TierLimits, tierLimits } from './tier-limits';

/** The user's tier and perk totals; `FOR UPDATE` locks the user row (named: a hot statement of every create). */
function limitsStatement(name: string, lock: string): NamedStatement {
  return namedStatement(
    name,
    `SELECT u.tier,
       COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'max_tasks'), 0)::int AS max_tasks,
       COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'max_notes'), 0)::int AS max_notes,
       COALESCE(SUM(d.perk_value) FILTER (WHERE d.perk_type = 'daily_credits'), 0)::int AS daily_credits
     FROM (SELECT id, tier FROM users WHERE id = $1 ${lock}) u
     LEFT JOIN user_achievements ua ON ua.user_id = u.id
     LEFT JOIN achievement_definitions d ON d.id = ua.achievement_id
     GROUP BY u.tier`,
  );
}

const LIMITS = {
  read: limitsStatement('user_limits', ''),
  locked: limitsStatement('user_limits_locked', 'FOR UPDATE'),
};

export interface UserLimits extends TierLimits {
  tier: UserTier;
}

/** The one place every limit check reads: the user's tier (from the database) plus perks. */
@Injectable()
export class EffectiveLimitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Pass the transaction's manager and `lock` when the check guards an insert: the user row is
   * locked so concurrent creations cannot exceed a limit (docs/rules.md §1).
   */
  async forUser(userId: string, manager: EntityManager = this.dataSource.manager, lock = false): Promise<UserLimits> {
    const rows = await runNamed<{ tier: UserTier; max_tasks: number; max_notes: number; daily_credits: number }>(
      manager,
      lock ? LIMITS.locked : LIMITS.read,
      [userId],
    );
    const row = rows[0];
    if (!row) throw new NotFoundError('User');
    const perks: PerkTotals = { max_tasks: row.max_tasks, max_notes: row.max_notes, daily_credits: row.daily_credits };
    return { tier: row.tier, ...effectiveLimits(tierLimits(row.tier, this.config.PRO_DAILY_CREDITS), perks) };
  }
}
