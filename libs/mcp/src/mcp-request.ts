import { JSONRPCMessageSchema, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { IncomingHttpHeaders } from 'node:http';
import { DomainError, ValidationError } from '@app/core/errors/domain-error';

export class NotAcceptableError extends DomainError {
  constructor() {
    super('NOT_ACCEPTABLE', 'Accept must list both application/json and text/event-stream (MCP Streamable HTTP)');
  }
}

/**
 * The transport's own request checks, made first so that their refusals carry the API's error
 * envelope (docs/mcp.md §1) rather than the SDK's bare JSON-RPC errors.
 */
export function assertMcpRequest(headers: IncomingHttpHeaders, body: unknown): void {
  const accept = headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) throw new NotAcceptableError();
  if (!JSONRPCMessageSchema.safeParse(body).success) {
    throw ValidationError.field('body', 'must be one JSON-RPC 2.0 message');
  }
  const version = headers['mcp-protocol-version'];
  if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(String(version))) {
    throw ValidationError.field('MCP-Protocol-Version', `must be one of ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}`);
  }
}
