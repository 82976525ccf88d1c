import { SetMetadata } from '@nestjs/common';

export const WITHOUT_IDEMPOTENCY_KEY = 'idempotency:without-key';
export const REPLAY_BODY = 'idempotency:replay-body';

/** The stored outcome of a write, as a replay returns it. */
export type ReplayBody = (body: unknown) => unknown;

/**
 * A POST whose protocol brings its own request identity (the MCP endpoint's JSON-RPC ids, one
 * per tool call) and therefore takes no `Idempotency-Key` (docs/mcp.md §2).
 */
export const WithoutIdempotencyKey = (): MethodDecorator => SetMetadata(WITHOUT_IDEMPOTENCY_KEY, true);

/**
 * Stores (and so replays) what `replay` keeps of the response body instead of the body itself:
 * a secret shown once is never written to the idempotency store (docs/access-tokens.md §1).
 */
export const ReplayAs = (replay: ReplayBody): MethodDecorator => SetMetadata(REPLAY_BODY, replay);
