import { Injectable, Logger } from '@nestjs/common';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { assertTokenScope } from '@app/access-tokens/access-tokens.errors';
import { RequestContext } from '@app/core/context/request-context';
import { toDomainError, toErrorEnvelope } from '@app/core/errors/error-envelope';
import type { AuthUser } from '@app/core/http/auth-user';
import { IdempotencyService } from '@app/core/idempotency/idempotency.service';
import type { McpTool } from './mcp-tool';

/**
 * Runs one tool call (docs/mcp.md §2–§3): the token's scope, then the service call under a request
 * context whose changes are logged with source `mcp`, exactly once when the call carries an
 * `idempotency_key`. Failures are tool results with the REST error envelope, never protocol errors.
 */
@Injectable()
export class McpToolRunner {
  private readonly logger = new Logger(McpToolRunner.name);

  constructor(private readonly idempotency: IdempotencyService) {}

  async call(user: AuthUser, requestId: string, tool: McpTool, args: Record<string, unknown>): Promise<CallToolResult> {
    const context = { requestId, userId: user.id, tokenId: user.tokenId, userSource: 'mcp' as const };
    try {
      assertTokenScope(user, tool.scope);
      const body = await RequestContext.run(context, () => this.run(user, requestId, tool, args));
      return {
        content: [{ type: 'text', text: JSON.stringify(body) }],
        structuredContent: body as Record<string, unknown>,
      };
    } catch (error) {
      const domainError = toDomainError(error);
      if (domainError.status >= 500) this.logger.error(`MCP tool ${tool.name} failed`, error);
      const envelope = toErrorEnvelope(domainError, requestId);
      return { isError: true, content: [{ type: 'text', text: JSON.stringify(envelope) }] };
    }
  }

  private async run(user: AuthUser, requestId: string, tool: McpTool, args: Record<string, unknown>): Promise<unknown> {
    const { idempotency_key: key, ...rest } = args;
    if (!tool.writes || typeof key !== 'string') return tool.run(user, rest);
    const outcome = await this.idempotency.execute(
      {
        userId: user.id,
        key,
        method: 'POST',
        path: `/mcp/tools/${tool.name}`,
        rawBody: Buffer.from(JSON.stringify(rest)),
      },
      () => tool.run(user, rest),
      (body) => ({ status: 200, headers: {}, body }),
      requestId,
    );
    if (outcome.kind === 'ran') return outcome.result;
    return outcome.response.json === undefined ? outcome.response.body : JSON.parse(outcome.response.json);
  }
}
