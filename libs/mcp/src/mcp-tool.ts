import type { z } from 'zod';
import type { AccessTokenScope } from '@app/core/database/enums';
import type { AuthUser } from '@app/core/http/auth-user';

/** One MCP tool (docs/mcp.md §4): its arguments, the scope it needs and the service call it makes. */
export interface McpTool<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  description: string;
  scope: AccessTokenScope;
  /** Writes accept an `idempotency_key` and are then exactly-once (docs/mcp.md §2). */
  writes: boolean;
  input: Shape;
  run(user: AuthUser, args: z.infer<z.ZodObject<Shape>>): Promise<unknown>;
}

/** Keeps a tool's argument types while the list holds tools of every shape. */
export function defineTool<Shape extends z.ZodRawShape>(tool: McpTool<Shape>): McpTool {
  return tool as unknown as McpTool;
}
