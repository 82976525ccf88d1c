import { Controller, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser } from '@app/core/http/auth-user';
import { ApiErrors } from '@app/http/error-response.dto';
import { requestIdOf } from '@app/core/http/request-id';
import { TokenScope } from '@app/http/token-scope.decorator';
import { WithoutIdempotencyKey } from '@app/core/idempotency/idempotency-options.decorator';
import { McpEndpoint } from './mcp-endpoint';

/** The Model Context Protocol endpoint (docs/mcp.md); each tool checks the token's scope itself. */
@ApiTags('mcp')
@ApiBearerAuth()
@TokenScope('tool')
@Controller('mcp')
export class McpController {
  constructor(private readonly endpoint: McpEndpoint) {}

  @Post()
  @WithoutIdempotencyKey()
  @ApiOperation({
    summary: 'Model Context Protocol (Streamable HTTP, stateless): JSON-RPC messages for AI assistants',
    description:
      'Send `Accept: application/json, text/event-stream`. Methods: initialize, tools/list, tools/call (see docs/mcp.md §4 for the tools).',
  })
  @ApiBody({
    description: 'A JSON-RPC 2.0 request or notification',
    schema: {
      type: 'object',
      example: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_tasks', arguments: {} } },
    },
  })
  @ApiOkResponse({ description: 'The JSON-RPC response (202 with no body for a notification)' })
  @ApiErrors(
    [400, 'VALIDATION_ERROR (not one JSON-RPC message, or an unsupported MCP-Protocol-Version)'],
    401,
    [406, 'NOT_ACCEPTABLE (Accept lacks application/json or text/event-stream)'],
    415,
    429,
  )
  handle(@CurrentUser() user: AuthUser, @Req() request: Request, @Res() response: Response): Promise<void> {
    return this.endpoint.handle(user, requestIdOf(request), request, response);
  }
}
