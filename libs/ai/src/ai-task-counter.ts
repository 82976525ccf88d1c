import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@app/core/http/auth-user';
import { RedisFallback } from '@app/core/redis/redis-fallback';
import { AiTaskLimitReachedError } from './ai.errors';

/** docs/rules.md §2.7: the 10th request per (AI session, task) is the last one; from the 5th on a warning. */
export const AI_TASK_LIMIT = 10;
export const AI_TASK_WARNING_FROM = 5;

/** A slot taken for one request; given back when the request ends uncharged. */
export interface AiTaskSlot {
  key: string;
  /** The counter including this request. */
  count: number;
}

// Takes a slot only below the limit, in one step, and lets the key expire with the access token.
const TAKE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then return -1 end
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIREAT', KEYS[1], ARGV[2])
return count`;
const GIVE_BACK_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > 0 then return redis.call('DECR', KEYS[1]) end
return 0`;

/**
 * The per-task AI request counter, keyed by the access token's `jti` and the task, expiring with
 * the token. Shared through Redis when `REDIS_URL` is set (falls back to process memory, with a
 * warning, when Redis fails); otherwise in process memory.
 */
@Injectable()
export class AiTaskCounter {
  private readonly memory = new Map<string, { count: number; expiresAtMs: number }>();

  constructor(private readonly redis: RedisFallback) {}

  /** Takes a slot, or throws 429 AI_TASK_LIMIT_REACHED when the counter already holds 10 (unchanged then). */
  async take(user: AuthUser, taskId: string): Promise<AiTaskSlot> {
    const key = `ai-task:${user.tokenId}:${taskId}`;
    const count = await this.redis.run(
      'ai_task',
      async (redis) => redis.eval(TAKE_SCRIPT, 1, key, AI_TASK_LIMIT, user.tokenExpiresAt) as Promise<number>,
      () => this.takeInMemory(key, user.tokenExpiresAt * 1000),
    );
    if (count < 0) throw new AiTaskLimitReachedError();
    return { key, count };
  }

  async giveBack(slot: AiTaskSlot): Promise<void> {
    await this.redis.run(
      'ai_task',
      async (redis) => redis.eval(GIVE_BACK_SCRIPT, 1, slot.key) as Promise<number>,
      () => {
        const entry = this.memory.get(slot.key);
        if (entry && entry.count > 0) entry.count--;
        return 0;
      },
    );
  }

  private takeInMemory(key: string, expiresAtMs: number): number {
    const now = Date.now();
    for (const [existing, entry] of this.memory) if (entry.expiresAtMs <= now) this.memory.delete(existing);
    const entry = this.memory.get(key) ?? { count: 0, expiresAtMs };
    if (entry.count >= AI_TASK_LIMIT) return -1;
    entry.count++;
    this.memory.set(key, entry);
    return entry.count;
  }
}
