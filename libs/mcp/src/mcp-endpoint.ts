import { Injectable } from '@nestjs/common';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AuthUser } from '@app/core/http/auth-user';
import { assertMcpRequest } from './mcp-request';
import { McpToolRunner } from './mcp-tool-runner';
import { McpTools } from './mcp-tools';

const SERVER_INFO = { name: 'perpetua-flow', version: '1.0.0' };
const IDEMPOTENCY_KEY = z
  .string()
  .min(1)
  .max(255)
  .optional()
  .describe('Any unique string: a retried call with the same key replays the first outcome instead of acting twice');

/**
 * The Streamable HTTP endpoint in stateless mode (docs/mcp.md §1): each POST gets its own server
 * and transport bound to the caller, answers with JSON, and keeps nothing afterwards.
 */
@Injectable()
export class McpEndpoint {
  constructor(
    private readonly tools: McpTools,
    private readonly runner: McpToolRunner,
  ) {}

  async handle(user: AuthUser, requestId: string, request: Request, response: Response): Promise<void> {
    assertMcpRequest(request.headers, request.body);
    const server = new McpServer(SERVER_INFO, { capabilities: { tools: {} } });
    for (const tool of this.tools.all) {
      const input = tool.writes ? { ...tool.input, idempotency_key: IDEMPOTENCY_KEY } : tool.input;
      server.registerTool(tool.name, { description: tool.description, inputSchema: input }, (args) =>
        this.runner.call(user, requestId, tool, args as Record<string, unknown>),
      );
    }
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  }
}
